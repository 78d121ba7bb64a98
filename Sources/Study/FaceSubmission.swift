import Foundation

/// One caption's two scores, each 1...10.
public struct CaptionScore: Codable, Equatable, Sendable {
    public var correctness: Int
    public var completeness: Int

    public init(correctness: Int, completeness: Int) {
        self.correctness = correctness
        self.completeness = completeness
    }

    public static let range = 1...10
}

/// A rater's answer for one face, as the screen sees it: in display order (index 0 is caption A).
/// The session maps display indices back to model slots, so the screen never handles model identities.
public struct FaceSubmission: Equatable, Sendable {
    public var position: Int
    public var scores: [CaptionScore]
    /// Display index of the caption chosen most complete. Leave nil when completeness has a single
    /// maximum; it is then taken from the scores. Required when several captions tie for the maximum.
    public var mostComplete: Int?
    /// As `mostComplete`, for the minimum.
    public var leastComplete: Int?
    public var comment: String?

    public init(position: Int, scores: [CaptionScore], mostComplete: Int? = nil,
                leastComplete: Int? = nil, comment: String? = nil) {
        self.position = position
        self.scores = scores
        self.mostComplete = mostComplete
        self.leastComplete = leastComplete
        self.comment = comment
    }

    /// The display indices tied for the highest and the lowest completeness. When either list has more
    /// than one entry the screen asks the rater to pick.
    public static func extremeCandidates(completeness: [Int]) -> (most: [Int], least: [Int]) {
        guard let high = completeness.max(), let low = completeness.min() else { return ([], []) }
        let indices = completeness.indices
        return (indices.filter { completeness[$0] == high }, indices.filter { completeness[$0] == low })
    }

    /// Checks every rule of the protocol and returns the explicit most/least choice (display indices).
    func validated(modelCount: Int) throws -> (most: Int, least: Int) {
        guard scores.count == modelCount else {
            throw StudyError.invalidInput(
                "face \(position + 1) needs scores for \(modelCount) captions, got \(scores.count)")
        }
        for (index, score) in scores.enumerated() {
            for (label, value) in [("correctness", score.correctness), ("completeness", score.completeness)]
            where !CaptionScore.range.contains(value) {
                throw StudyError.invalidInput(
                    "caption \(Blinding.letter(index)): \(label) must be 1-10, got \(value)")
            }
        }
        let candidates = Self.extremeCandidates(completeness: scores.map(\.completeness))
        let most = try choose(mostComplete, among: candidates.most, extreme: .most)
        let least = try choose(leastComplete, among: candidates.least, extreme: .least)
        if most == least && modelCount > 1 {
            throw StudyError.invalidInput(
                "caption \(Blinding.letter(most)) cannot be both the most and the least complete")
        }
        return (most, least)
    }

    private func choose(_ pick: Int?, among candidates: [Int], extreme: StudyError.Extreme) throws -> Int {
        guard let pick else {
            if candidates.count == 1 { return candidates[0] }
            throw StudyError.tieNeedsChoice(extreme: extreme, candidates: candidates)
        }
        guard candidates.contains(pick) else {
            let shown = (0..<scores.count).contains(pick) ? Blinding.letter(pick) : "#\(pick)"
            let allowed = candidates.map(Blinding.letter).joined(separator: ", ")
            throw StudyError.invalidInput(
                "caption \(shown) is not among the \(extreme.rawValue) complete (\(allowed))")
        }
        return pick
    }
}

/// A face as the rating screen shows it to one rater.
public struct FaceToRate: Equatable, Sendable {
    public struct Caption: Equatable, Sendable {
        public var letter: String
        public var text: String
        /// Nil while the study is blind.
        public var modelName: String?
    }

    /// A rater's earlier answer for this face, in this rater's display order, for reopening it.
    public struct Answer: Equatable, Sendable {
        /// Empty when the face was skipped.
        public var scores: [CaptionScore]
        public var mostComplete: Int?
        public var leastComplete: Int?
        public var comment: String?
        public var skippedReason: String?
        public var submittedAt: Date
        /// 1 for the first answer, +1 for each re-submission.
        public var revision: Int
    }

    public var position: Int
    public var imageID: String
    public var captions: [Caption]
    public var previous: Answer?
    public var progress: RatingProgress
}
