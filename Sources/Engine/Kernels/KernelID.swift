/// Stable names of the dot-product paths, recorded in receipts when they ran.
/// Swift reference paths are suffixed `_swift`; CKernels paths carry the names CKernels reports.
public enum KernelID {
    static func reference(_ w: WeightFormat, _ a: ActivationFormat) -> String {
        "\(w.name.lowercased())_\(a.rawValue.lowercased())_swift"
    }
}
