/// Load-time choice for the output (logits) matrix.
public enum HeadPrecision: String, Sendable, CaseIterable {
    /// The file's matrix as stored (default).
    case exact
    /// An F16/BF16/F32 head re-quantized at load to Q8_0 rows (34 bytes per 32 weights, 1.0625 bytes per
    /// weight: about half the bytes an F16 head streams per token), multiplied with Q8_0 activations. Costs an
    /// extra in-memory copy of 1.0625 bytes per head weight; the file's head stays mapped (and is still read for
    /// embedding lookups when tied). Not exact: `Session.probeHeadCosine` reports the logit cosine.
    case int8
    /// The int8 head with a rigorous per-row error bound (`ScreenedHead`): greedy decoding computes the file's exact
    /// dot only for the rows that can still be the argmax, so the chosen token is the exact head's, at about the
    /// int8 head's bytes per token. Everything needing the whole distribution (sampling, `Session.logits(after:)`,
    /// probes) runs the exact head. Costs the int8 copy plus 8 bytes per row.
    case screened
    /// `screened` where it keeps the exact head's tokens and pays for its load, else `exact`; resolved at load (the
    /// loaded model's `options.head` is the choice, `Model.headChoice` says why): screened when the head is a float
    /// matrix the int8 head takes and at least `autoMinimumShare` of the bytes streamed per token. The CLI's `run`
    /// and `bench` default to it (`run` chooses exact when it samples without a top-k cut of at most 256: such sampling
    /// reads the whole exact head every token).
    case auto

    /// The head's share of the bytes per token from which `auto` screens it (the rule `head-dominates-bytes` uses the
    /// same 30%): below it the int8 copy saves too little per token to repay its load (0.15 s for the 2B-4T head).
    public static let autoMinimumShare = 0.3

    /// The values `--head` accepts, for error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
