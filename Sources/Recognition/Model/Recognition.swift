import Foundation

/// What a recognizer decided about one clip or still: the contract of `facecap recognize --json`.
public struct Recognition: Sendable, Equatable, Codable {
    /// Class names in the model's order.
    public var classes: [String]
    /// softmax(logits), one per class.
    public var probs: [Float]
    /// normalised video feature . normalised text feature / 0.01, one per class.
    public var logits: [Float]
    /// The class with the highest logit.
    public var top: String
    /// The frame indices (0-based, in the clip's sorted frame order) that were fed to the model.
    public var frames: [Int]

    public init(classes: [String], logits: [Float], frames: [Int]) {
        self.classes = classes
        self.logits = logits
        self.frames = frames
        var probs = logits
        let m = logits.max() ?? 0
        var sum: Float = 0
        for i in probs.indices { probs[i] = Float(exp(Double(probs[i] - m))); sum += probs[i] }
        self.probs = probs.map { $0 / sum }
        top = classes[logits.indices.max { logits[$0] < logits[$1] } ?? 0]
    }
}
