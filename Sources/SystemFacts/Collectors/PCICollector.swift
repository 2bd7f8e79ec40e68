import CSystem
import Foundation

/// pci: devices through libpci (pointed at the root's sysfs), with a plain sysfs reader as fallback.
enum PCICollector {
    static let collector = Collector(family: "pci", factNames: ["devices", "gpus"], collect: collect)

    static let sysfs = "/sys/bus/pci"

    static func collect(_ ctx: CollectContext) -> FactFamily {
        var f = FactFamily("pci")
        switch scan(ctx.root) {
        case .success(let (devs, src)):
            f["devices"] = .ok(.array(devs.map(\.value)), src)
            f["gpus"] = .ok(.array(devs.filter(\.isGPU).map(\.value)), src)
        case .failure(let e):
            f["devices"] = e.fact
            f["gpus"] = e.fact
        }
        return f
    }

    /// Devices and the source they came from, or the fact explaining why there are none.
    static func scan(_ r: SystemRoot) -> Result<([PCIDevice], String), FactError> {
        guard r.isDirectory(sysfs + "/devices") else {
            return .failure(FactError(.notAvailable("no PCI bus in sysfs (\(sysfs)/devices missing)", sysfs + "/devices")))
        }
        let ids = r.isHost ? nil : ["/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids"].first { r.exists($0) }
        switch libpci(r, ids: ids.map(r.resolve)) {
        case .success(let devs):
            let names = ids.map { "pci.ids from root \($0)" } ?? "system pci.ids"
            return .success((devs, "libpci (sysfs \(sysfs), \(names))"))
        case .failure(let msg):
            let devs = sysfsReader(r)
            let why = r.isHost ? msg.message : msg.message.replacingOccurrences(of: r.path, with: "")
            return .success((devs, "sysfs reader \(sysfs)/devices (libpci failed: \(why))"))
        }
    }

    static func libpci(_ r: SystemRoot, ids: String?) -> Result<[PCIDevice], LibPCIError> {
        var buf = [csys_pci_device](repeating: csys_pci_device(), count: 512)
        var err = [CChar](repeating: 0, count: 256)
        let n = csys_pci_list(r.resolve(sysfs), ids, &buf, Int32(buf.count), &err, err.count)
        if n < 0 { return .failure(LibPCIError(message: cString(err))) }
        return .success(buf[0..<Int(n)].map { d in
            var d = d
            func s<T>(_ p: inout T, _ cap: Int) -> String {
                withUnsafePointer(to: &p) { $0.withMemoryRebound(to: CChar.self, capacity: cap) { String(cString: $0) } }
            }
            let driver = s(&d.driver, 64)
            return PCIDevice(slot: s(&d.slot, 32), vendorID: Int(d.vendor_id), deviceID: Int(d.device_id),
                             classID: Int(d.class_id), vendor: s(&d.vendor, 128), device: s(&d.device, 160),
                             className: s(&d.class_name, 96), driver: driver.isEmpty ? nil : driver)
        }.sorted { $0.slot < $1.slot })
    }

    /// Reads vendor/device/class and the driver link directly (no names).
    static func sysfsReader(_ r: SystemRoot) -> [PCIDevice] {
        let base = sysfs + "/devices"
        return (r.list(base) ?? []).compactMap { slot in
            let d = "\(base)/\(slot)"
            guard let v = r.attribute(d + "/vendor").flatMap({ CPUInfo.hex($0) }),
                  let dev = r.attribute(d + "/device").flatMap({ CPUInfo.hex($0) }) else { return nil }
            let cls = r.attribute(d + "/class").flatMap { CPUInfo.hex($0) }.map { $0 >> 8 } ?? 0
            let driver = r.readLink(d + "/driver").map { String($0.split(separator: "/").last ?? "") }
            return PCIDevice(slot: slot, vendorID: v, deviceID: dev, classID: cls, vendor: nil, device: nil,
                             className: nil, driver: driver)
        }
    }
}

/// A fact carried as an error value.
struct FactError: Error {
    let fact: Fact
    init(_ fact: Fact) { self.fact = fact }
}

struct LibPCIError: Error { let message: String }
