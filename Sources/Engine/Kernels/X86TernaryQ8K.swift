/// llama.cpp's x86 (AVX2) TQ2_0/TQ1_0 × Q8_K dots, emulated lane by lane: the reference `ck_tq_q8K_x86_gemv` (the
/// engine's `--parity llama.cpp` kernel) is tested against. In both, byte p
/// of the k-th 32-byte vector of a block holds element 32k + p, so int32 lane k (of 8) sums code·q (code ∈ {0,1,2})
/// over the elements e with (e mod 32) / 4 == k, minus bsums[2k] + bsums[2k+1]; then, per block,
/// lane_f = fma(float(lane_k), d_act · d_w, lane_f) (GCC contracts the mul+add intrinsics), and the lanes are summed
/// as hsum_float_8 does.
enum X86TernaryQ8K {
    static func dot(_ w: WeightFormat, _ p: UnsafeRawPointer, _ x: QuantizedRow, scratch: UnsafeMutablePointer<Int8>) -> Float {
        var lf = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
        return withUnsafeMutableBytes(of: &lf) { raw -> Float in
            let l = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            let bb = w.blockBytes
            x.codes.withUnsafeBufferPointer { q in
                for b in 0..<(x.count / 256) {
                    let blk = p + b * bb
                    if w == .tq2_0 { TernaryDecode.tq2(blk, into: scratch) } else { TernaryDecode.tq1(blk, into: scratch) }
                    let d = x.scales[b] * loadHalf(blk, bb - 2)
                    var lanes = (Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0))
                    withUnsafeMutableBytes(of: &lanes) { lr in
                        let li = lr.baseAddress!.assumingMemoryBound(to: Int32.self)
                        for e in 0..<256 { li[(e & 31) >> 2] &+= Int32(scratch[e] + 1) * Int32(q[b * 256 + e]) }
                        for k in 0..<8 {
                            let v = li[k] - Int32(x.sums[b * 16 + 2 * k]) - Int32(x.sums[b * 16 + 2 * k + 1])
                            l[k] = l[k].addingProduct(Float(v), d)
                        }
                    }
                }
            }
            let a0 = l[0] + l[4], a1 = l[1] + l[5], a2 = l[2] + l[6], a3 = l[3] + l[7]
            return (a0 + a2) + (a1 + a3)
        }
    }
}
