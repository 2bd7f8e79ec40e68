import Foundation

/// Everything a check, report, bundle or gate diagnoses: facts, model, receipts, the run, the environment.
public struct CheckInputs: Sendable {
    /// Fact families (`{family: {fact: {value,status,reason,source}}}`).
    public var facts: JSONValue = .object([:])
    public var model: JSONValue?
    /// Normalised receipts with a label (file name) each.
    public var receipts: [(label: String, receipt: JSONValue)] = []
    /// The raw bytes of each receipt file, for the bundle.
    public var rawReceipts: [(name: String, data: Data)] = []
    public var run: JSONValue?
    public var environment: [String: String] = [:]
    /// True when `facts` already reflect `environment` (collected by SystemFacts); otherwise the environment is
    /// overlaid onto the facts (`EnvFile.overlay`).
    public var environmentInFacts = false
    /// The machine root the facts came from (for bundle snapshots).
    public var root: URL?
    public var notes: [String] = []

    public init() {}

    /// Reads `--receipt` files, appending failures as errors.
    public mutating func addReceipts(_ urls: [URL]) throws(ReceiptError) {
        for url in urls {
            let r = try ReceiptReader.read(url)
            receipts.append((url.lastPathComponent, r))
            if let d = try? Data(contentsOf: url) { rawReceipts.append((url.lastPathComponent, d)) }
        }
    }

    /// One evidence document per receipt (or one without a receipt).
    public func evidence(speeds: ReferenceSpeeds) -> [(label: String?, evidence: Evidence)] {
        let facts = environment.isEmpty || environmentInFacts ? self.facts : EnvFile.overlay(environment, onto: self.facts)
        if receipts.isEmpty {
            return [(nil, Evidence.assemble(facts: facts, model: model, receipt: nil, run: run, speeds: speeds))]
        }
        return receipts.map { (Optional($0.label), Evidence.assemble(facts: facts, model: model, receipt: $0.receipt, run: run, speeds: speeds)) }
    }

    /// Runs the rules over these inputs.
    public func diagnose(rules: RuleSet) -> Diagnosis {
        Diagnoser.diagnose(evidence(speeds: rules.speeds), rules: rules, notes: notes)
    }
}
