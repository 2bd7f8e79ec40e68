/// f16/bf16 helpers (round to nearest even, as ggml's F16C and reference conversions do).
@inline(__always) func halfToFloat(_ bits: UInt16) -> Float { Float(Float16(bitPattern: bits)) }
@inline(__always) func roundToHalf(_ x: Float) -> Float { Float(Float16(x)) }
@inline(__always) func bf16ToFloat(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
/// ggml's FP32→BF16: round to nearest even, NaN kept quiet.
@inline(__always) func roundToBF16(_ x: Float) -> Float {
    let u = x.bitPattern
    if (u & 0x7fff_ffff) > 0x7f80_0000 { return Float(bitPattern: (u | 0x0040_0000) & 0xffff_0000) }
    let r = (u &+ (0x7fff &+ ((u >> 16) & 1))) & 0xffff_0000
    return Float(bitPattern: r)
}
@inline(__always) func loadHalf(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
    halfToFloat(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
}
/// ggml's nearest_int: round half to even for |x| < 2^22.
@inline(__always) func nearestInt(_ x: Float) -> Int32 {
    let v = x + 12582912.0
    return Int32(bitPattern: v.bitPattern & 0x007f_ffff) - 0x0040_0000
}
