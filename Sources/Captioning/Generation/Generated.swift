/// What a decoding run produced: the generated ids of each returned sequence (eos included when
/// it was produced) and, for beam search, its length-normalised score.
struct Generated {
    var sequences: [[Int]]
    var scores: [Float]
}

/// Called after each decoding step with the step number and the best sequence so far;
/// returning false stops the run (the caller turns that into `CaptionCancelled`).
typealias StepObserver = (_ step: Int, _ best: UnsafeBufferPointer<Int32>) -> Bool
