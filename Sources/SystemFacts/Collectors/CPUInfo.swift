/// /proc/cpuinfo parsed into one dictionary per logical CPU.
struct CPUInfo {
    var processors: [[String: String]]

    init(_ text: String) {
        var out: [[String: String]] = []
        var current: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { out.append(current); current = [:] }
                continue
            }
            guard let i = line.firstIndex(of: ":") else { continue }
            let k = line[..<i].trimmingCharacters(in: .whitespaces)
            let v = line[line.index(after: i)...].trimmingCharacters(in: .whitespaces)
            if k == "processor", current["processor"] != nil { out.append(current); current = [:] }
            current[k] = v
        }
        if !current.isEmpty { out.append(current) }
        // Keep only per-CPU blocks (ARM prints a trailing "Hardware"/"Revision" block without "processor").
        let cpus = out.filter { $0["processor"] != nil }
        processors = cpus.isEmpty ? out : cpus
    }

    var first: [String: String] { processors.first ?? [:] }
    var isARM: Bool { first["CPU implementer"] != nil }
    var isX86: Bool { first["vendor_id"] != nil }
    var flags: [String] { Parsing.words(first["flags"] ?? first["Features"] ?? "") }

    /// ARM implementer codes and part numbers (as listed by util-linux lscpu's tables).
    static let armImplementers: [Int: String] = [
        0x41: "ARM", 0x42: "Broadcom", 0x43: "Cavium", 0x46: "Fujitsu", 0x48: "HiSilicon", 0x4e: "NVIDIA",
        0x50: "APM", 0x51: "Qualcomm", 0x61: "Apple", 0x6d: "Microsoft", 0xc0: "Ampere",
    ]
    static let armParts: [Int: [Int: String]] = [
        0x41: [0xd03: "Cortex-A53", 0xd04: "Cortex-A35", 0xd05: "Cortex-A55", 0xd07: "Cortex-A57",
               0xd08: "Cortex-A72", 0xd09: "Cortex-A73", 0xd0a: "Cortex-A75", 0xd0b: "Cortex-A76",
               0xd0c: "Neoverse-N1", 0xd0d: "Cortex-A77", 0xd40: "Neoverse-V1", 0xd41: "Cortex-A78",
               0xd44: "Cortex-X1", 0xd46: "Cortex-A510", 0xd47: "Cortex-A710", 0xd48: "Cortex-X2",
               0xd49: "Neoverse-N2", 0xd4a: "Neoverse-E1", 0xd4f: "Neoverse-V2", 0xd80: "Cortex-A520",
               0xd81: "Cortex-A720", 0xd82: "Cortex-X4", 0xd84: "Neoverse-V3", 0xd8e: "Neoverse-N3"],
        0xc0: [0xac3: "Ampere-1", 0xac4: "Ampere-1a"],
        0x48: [0xd01: "TaiShan-v110"],
        0x61: [0x022: "M1 Icestorm", 0x023: "M1 Firestorm"],
    ]

    static func hex(_ s: String?) -> Int? {
        guard let s else { return nil }
        let t = s.lowercased().hasPrefix("0x") ? String(s.dropFirst(2)) : s
        return Int(t, radix: 16)
    }

    /// A coarse microarchitecture name from x86 family/model (a hint, not an authority).
    static func x86Microarch(vendor: String, family: Int, model: Int) -> String? {
        if vendor == "GenuineIntel", family == 6 {
            let m: [Int: String] = [
                0x3c: "Haswell", 0x3f: "Haswell-EP", 0x4f: "Broadwell-EP", 0x55: "Skylake-SP/Cascade Lake",
                0x5e: "Skylake", 0x8e: "Kaby Lake/Coffee Lake (mobile)", 0x6a: "Ice Lake-SP", 0x7e: "Ice Lake", 0x8c: "Tiger Lake", 0x8d: "Tiger Lake",
                0x8f: "Sapphire Rapids", 0x97: "Alder Lake", 0x9a: "Alder Lake", 0x9e: "Kaby/Coffee Lake",
                0xa5: "Comet Lake", 0xa7: "Rocket Lake", 0xaa: "Meteor Lake", 0xb7: "Raptor Lake",
                0xba: "Raptor Lake", 0xbf: "Raptor Lake", 0xc5: "Arrow Lake", 0xc6: "Arrow Lake",
                0xcf: "Emerald Rapids", 0xad: "Granite Rapids", 0xbd: "Lunar Lake",
            ]
            return m[model]
        }
        if vendor == "AuthenticAMD" {
            switch family {
            case 0x17: return model >= 0x30 ? "Zen 2" : "Zen/Zen+"
            case 0x19: return (0x10...0x1f).contains(model) || (0x60...0x7f).contains(model) || (0xa0...0xaf).contains(model)
                ? "Zen 4" : "Zen 3"
            case 0x1a: return "Zen 5"
            default: return nil
            }
        }
        return nil
    }
}
