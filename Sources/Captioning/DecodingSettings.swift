/// How captions are decoded. Defaults come from a model's `generation_config.json`; the CLI flags
/// (`--num-beams`, `--max-new-tokens`, ...) and the explorer's `r` key override single fields.
/// Hashable and Codable because the caption cache keys on it.
public struct DecodingSettings: Hashable, Codable, Sendable {
    public var numBeams: Int = 1
    public var maxNewTokens: Int = 20
    public var minNewTokens: Int = 0
    /// transformers' `min_length`: a floor on the whole sequence, prompt and query tokens included.
    public var minLength: Int = 0
    public var lengthPenalty: Float = 1.0
    public var repetitionPenalty: Float = 1.0
    /// `false` (transformers' default) = stop when it is clear no better beam can come;
    /// `true` = stop as soon as `numBeams` hypotheses are finished.
    public var earlyStopping: Bool = false
    /// Nucleus sampling instead of greedy/beam search.
    public var sample: Bool = false
    public var topP: Float = 1.0
    public var topK: Int = 0
    public var temperature: Float = 1.0
    public var seed: UInt64 = 0
    /// How many captions to return (beams kept, or independent samples).
    public var numCaptions: Int = 1
    /// Fed to finished samples so a batch stays in lock step (the model's pad id).
    public var padTokenID: Int = 1
    /// Optional text prompt placed after `</s>`.
    public var prompt: String = ""

    public init() {}

    /// One short line for status bars and cache listings, e.g. "beam 5" or "nucleus p=0.9 T=1 x3".
    public var summary: String {
        if sample {
            return "nucleus p=\(topP) T=\(temperature) seed=\(seed)" + (numCaptions > 1 ? " x\(numCaptions)" : "")
        }
        return numBeams > 1 ? "beam \(numBeams)" : "greedy"
    }
}
