/// What a decoding run produced: the generated ids of each returned sequence (eos included when
/// it was produced) and, for beam search, its length-normalised score.
struct Generated {
    var sequences: [[Int]]
    var scores: [Float]
    /// Per returned sequence, per generated token: its log-probability after the logits processors
    /// (transformers' `compute_transition_scores`; beam search: along the returned beam's history).
    var tokenLogprobs: [[Float]]
    /// With attention recording: per returned sequence, [tokens, queries] row-major, how the position
    /// that predicted each token attended to the image queries (mean over heads and layers).
    var queryAttention: [[Float]]?
}

/// Called after each decoding step with the step number and the best sequence so far;
/// returning false stops the run (the caller turns that into `CaptionCancelled`).
typealias StepObserver = (_ step: Int, _ best: UnsafeBufferPointer<Int32>) -> Bool
