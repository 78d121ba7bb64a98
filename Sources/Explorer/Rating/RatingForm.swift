import Study

/// One face's answer while the rater types it: two scores per caption, the cursor, an optional
/// comment and the tie choices. Pure, so every rule of the protocol is tested without a terminal;
/// `handle(_:)` (RatingForm+Keys.swift) is the only way keys change it.
///
/// Captions are in display order (index 0 is caption A); the form never sees model identities.
public struct RatingForm: Equatable, Sendable {
    public enum Field: Int, CaseIterable, Sendable {
        case correctness, completeness
        public var label: String { self == .correctness ? "correctness" : "completeness" }
    }

    public struct Cursor: Equatable, Sendable {
        public var caption: Int
        public var field: Field
    }

    /// What the form is waiting for. Everything but `editing` is a one-line prompt.
    public enum Mode: Equatable, Sendable {
        case editing
        /// Several captions tie for the highest completeness: press one of their letters.
        case pickingMost(candidates: [Int])
        case pickingLeast(candidates: [Int])
        case comment(draft: String)
        case skipReason(draft: String)
        /// `q` with unsaved input on this face.
        case confirmQuit
        /// `v`: every caption in full, scrolled to row `top`; scores stay as typed.
        case reading(top: Int)
    }

    /// What the caller must do after a key. The form stays as it is until the caller moves on, so a
    /// failed write leaves every typed value in place.
    public enum Effect: Equatable, Sendable {
        case submit(FaceSubmission)
        case skip(reason: String)
        case reopenPrevious
        case quit
    }

    public struct Message: Equatable, Sendable {
        public var text: String
        public var isError: Bool
    }

    public static let maxCommentLength = 500

    public let position: Int
    public let letters: [String]
    /// `values[caption][field.rawValue]`, 1...10 or nil while not yet given.
    public internal(set) var values: [[Int?]]
    public internal(set) var cursor = Cursor(caption: 0, field: .correctness)
    public internal(set) var mode: Mode = .editing
    public internal(set) var comment: String
    /// Display indices chosen among tied captions; cleared whenever a completeness score changes.
    public internal(set) var mostComplete: Int?
    public internal(set) var leastComplete: Int?
    public var message: Message?
    private let initialValues: [[Int?]]
    private let initialComment: String

    /// A blank form, or the rater's earlier answer when a face is reopened.
    public init(position: Int, letters: [String], previous: FaceToRate.Answer? = nil) {
        self.position = position
        self.letters = letters
        var values = Array(repeating: [Int?](repeating: nil, count: Field.allCases.count), count: letters.count)
        if let previous, previous.scores.count == letters.count {
            values = previous.scores.map { [$0.correctness, $0.completeness] }
            mostComplete = previous.mostComplete
            leastComplete = previous.leastComplete
        }
        if let reason = previous?.skippedReason {
            message = Message(text: "skipped earlier (\(reason)): rate it now, or s to skip again", isError: false)
        }
        self.values = values
        comment = previous?.comment ?? ""
        initialValues = values
        initialComment = comment
    }

    public init(face: FaceToRate) {
        self.init(position: face.position, letters: face.captions.map(\.letter), previous: face.previous)
    }

    public func value(caption: Int, field: Field) -> Int? { values[caption][field.rawValue] }

    /// Something typed on this face that is not saved.
    public var isDirty: Bool { values != initialValues || comment != initialComment }

    /// Fields still empty, in the order the cursor visits them.
    public var missing: [Cursor] {
        var result: [Cursor] = []
        for caption in letters.indices {
            for field in Field.allCases where values[caption][field.rawValue] == nil {
                result.append(Cursor(caption: caption, field: field))
            }
        }
        return result
    }

    /// The submission the current values make, or the reason there is none yet: a missing score
    /// (the cursor moves there) or a tie the rater must break (the mode becomes a pick).
    mutating func prepareSubmission() -> FaceSubmission? {
        if let first = missing.first {
            cursor = first
            let names = missing.prefix(4).map { "\(letters[$0.caption]) \($0.field.label)" }
            message = Message(text: "missing: " + names.joined(separator: ", ") + (missing.count > 4 ? ", …" : ""),
                              isError: true)
            return nil
        }
        let completeness = values.map { $0[Field.completeness.rawValue]! }
        let candidates = FaceSubmission.extremeCandidates(completeness: completeness)
        let most: Int
        if candidates.most.count == 1 {
            most = candidates.most[0]
        } else if let pick = mostComplete, candidates.most.contains(pick) {
            most = pick
        } else {
            mode = .pickingMost(candidates: candidates.most)
            return nil
        }
        // One caption cannot be both; with every caption tied, the most complete pick is out.
        var leastCandidates = candidates.least
        if letters.count > 1 { leastCandidates.removeAll { $0 == most } }
        let least: Int
        if leastCandidates.count == 1 {
            least = leastCandidates[0]
        } else if let pick = leastComplete, leastCandidates.contains(pick) {
            least = pick
        } else {
            mode = .pickingLeast(candidates: leastCandidates)
            return nil
        }
        mode = .editing
        return FaceSubmission(position: position,
                              scores: values.map { CaptionScore(correctness: $0[0]!, completeness: $0[1]!) },
                              mostComplete: most, leastComplete: least,
                              comment: comment.isEmpty ? nil : comment)
    }

    mutating func set(_ value: Int?) {
        let field = cursor.field
        if values[cursor.caption][field.rawValue] != value, field == .completeness {
            mostComplete = nil
            leastComplete = nil
        }
        values[cursor.caption][field.rawValue] = value
    }

    /// Moves through fields caption by caption: A correctness, A completeness, B correctness, ...
    mutating func step(by delta: Int) {
        let fieldCount = Field.allCases.count
        let count = letters.count * fieldCount
        guard count > 0 else { return }
        let index = ((cursor.caption * fieldCount + cursor.field.rawValue + delta) % count + count) % count
        cursor = Cursor(caption: index / fieldCount, field: Field(rawValue: index % fieldCount)!)
    }

    mutating func moveCaption(by delta: Int) {
        guard !letters.isEmpty else { return }
        cursor.caption = max(0, min(letters.count - 1, cursor.caption + delta))
    }

    /// "A" -> 0; lower case accepted.
    func index(ofLetter character: Character) -> Int? {
        letters.firstIndex(of: String(character).uppercased())
    }
}
