/// The facts one collector produced, in the order the collector added them.
public struct FactFamily: Sendable, Equatable {
    public let name: String
    public private(set) var names: [String] = []
    public private(set) var facts: [String: Fact] = [:]

    public init(_ name: String) { self.name = name }

    public subscript(fact: String) -> Fact? {
        get { facts[fact] }
        set {
            if let newValue {
                if facts[fact] == nil { names.append(fact) }
                facts[fact] = newValue
            } else if facts.removeValue(forKey: fact) != nil {
                names.removeAll { $0 == fact }
            }
        }
    }

    public mutating func set(_ fact: String, _ value: Fact) { self[fact] = value }

    /// Facts in collector order.
    public var ordered: [(name: String, fact: Fact)] { names.compactMap { n in facts[n].map { (n, $0) } } }
}
