/// The separate-scale form of TL1/TL2: the weight tensor holds only the converter's bytes — TL1 M·K/4, TL2 the
/// fork's size (K − 256)·M/3·5/8 + 256·M/2·4/8 — and the f32 scale is a separate F32 tensor named
/// `<weight name>_scale`, right after it. bitnet.cpp's converter hands such a tensor to its bundled gguf-py, but
/// that writer leaves it out of the tensor infos and stores its 4 bytes in a 32-byte tail after the padded weight,
/// so bitnet.cpp's files (and ours, by default) have the tail form (see TensorTypeTraits' size rules); this form
/// is what a writer without that special case would produce.
extension TensorTypeTraits {
    /// Suffix of bitnet.cpp's separate TL scale tensor.
    public static let tlScaleSuffix = "_scale"

    /// The weight bytes without a scale tail (TL1/TL2 only; nil for other types or invalid shapes).
    public func tlDataSize(elements: Int, rowLength: Int) -> Int? {
        guard elements >= 0, rowLength > 0, elements % rowLength == 0 else { return nil }
        switch format {
        case .tl1:
            guard elements % 4 == 0 else { return nil }
            return elements / 4
        case .tl2:
            guard byteSize(elements: elements, rowLength: rowLength) != nil else { return nil }   // overflow checks
            let rows = elements / rowLength
            return (rowLength - 256) * rows / 3 * 5 / 8 + 256 * rows / 2 * 4 / 8
        default:
            return nil
        }
    }
}
