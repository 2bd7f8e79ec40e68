/// bitnet.cpp's own TL1/TL2 files (utils/convert-hf-to-gguf-bitnet.py) hold only the converter's bytes in the
/// weight tensor — TL1 M·K/4, TL2 the fork's size (K − 256)·M/3·5/8 + 256·M/2·4/8 — and the f32 scale in a
/// separate F32 tensor named `<weight name>_scale`, written right after it. Files we write by default keep the
/// scale in a 32-byte tail of the tensor instead (see TensorTypeTraits' size rules).
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
