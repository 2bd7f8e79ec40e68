/// One fact about the machine: its value, whether it could be determined, and where it came from.
public struct Fact: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case ok
        case notAvailable(String)
        case error(String)

        public var name: String {
            switch self {
            case .ok: return "ok"
            case .notAvailable: return "not_available"
            case .error: return "error"
            }
        }
        public var reason: String? {
            switch self {
            case .ok: return nil
            case .notAvailable(let r), .error(let r): return r
            }
        }
    }

    public var value: FactValue
    public var status: Status
    /// A path under the root, or a probe name such as `cpuid`, `libpci`, `exec:nvidia-smi`.
    public var source: String

    public init(value: FactValue, status: Status = .ok, source: String) {
        self.value = value
        self.status = status
        self.source = source
    }

    public static func ok(_ value: FactValue, _ source: String) -> Fact { Fact(value: value, source: source) }
    public static func notAvailable(_ reason: String, _ source: String) -> Fact {
        Fact(value: .null, status: .notAvailable(reason), source: source)
    }
    public static func error(_ reason: String, _ source: String) -> Fact {
        Fact(value: .null, status: .error(reason), source: source)
    }

    public var isOK: Bool { status == .ok }
    /// The value when the status is ok, otherwise nil (what a rule path resolves to).
    public var okValue: FactValue? { isOK ? value : nil }
}

extension Fact: Codable {
    enum CodingKeys: String, CodingKey { case value, status, reason, source }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        value = try c.decodeIfPresent(FactValue.self, forKey: .value) ?? .null
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
        let reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? ""
        switch try c.decode(String.self, forKey: .status) {
        case "ok": status = .ok
        case "not_available": status = .notAvailable(reason)
        default: status = .error(reason)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value, forKey: .value)
        try c.encode(status.name, forKey: .status)
        if let r = status.reason { try c.encode(r, forKey: .reason) }
        try c.encode(source, forKey: .source)
    }
}
