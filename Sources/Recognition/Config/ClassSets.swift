import Tensor

/// The class sets DFER-CLIP was trained on, in its order, with the descriptors of REFERENCE section 7.
/// A released checkpoint carries no class names: `--classes NAME` picks one, or the prompt learner's
/// class count does (7 -> DFEW/FERV39k, 11 -> MAFW, 8 -> our demo's 7 + contempt).
public enum ClassSets {
    public struct ClassSet: Sendable {
        public let name: String
        public let classes: [String]
        public let descriptors: [String]
    }

    public static let descriptors: [String: String] = [
        "happiness": "a smiling mouth, raised cheeks, wrinkled eyes, and arched eyebrows.",
        "sadness": "tears, a downward turned mouth, drooping upper eyelids, and a wrinkled forehead.",
        "neutral": "relaxed facial muscles, a straight mouth, a smooth forehead, and unremarkable eyebrows.",
        "anger": "furrowed eyebrows, narrow eyes, tightened lips, and flared nostrils.",
        "surprise": "widened eyes, an open mouth, raised eyebrows, and a frozen expression.",
        "disgust": "a wrinkled nose, lowered eyebrows, a tightened mouth, and narrow eyes.",
        "fear": "raised eyebrows, parted lips, a furrowed brow, and a retracted chin.",
        "contempt": "one side of its mouth raised, one eyebrow lower and one raised, narrowed eyes, and a raised chin.",
    ]

    static let dfew = ["happiness", "sadness", "neutral", "anger", "surprise", "disgust", "fear"]

    public static let all: [ClassSet] = [
        make("dfew", dfew),
        make("ferv39k", dfew),
        make("demo8", dfew + ["contempt"]),
        // MAFW's last three descriptors are not in REFERENCE; its checkpoints carry their prompts, so the
        // class name stands in for display.
        make("mafw", dfew + ["contempt", "anxiety", "helplessness", "disappointment"]),
    ]

    static func make(_ name: String, _ classes: [String]) -> ClassSet {
        ClassSet(name: name, classes: classes, descriptors: classes.map { descriptors[$0] ?? $0 })
    }

    public static func named(_ name: String) throws -> ClassSet {
        guard let set = all.first(where: { $0.name == name.lowercased() }) else {
            throw InputError("--classes", "unknown class set \"\(name)\" (known: \(all.map(\.name).joined(separator: ", ")))")
        }
        return set
    }

    /// The set a checkpoint with `count` learned prompts was trained on.
    public static func inferred(count: Int, origin: String) throws -> ClassSet {
        switch count {
        case 7: return try named("dfew")
        case 8: return try named("demo8")
        case 11: return try named("mafw")
        default:
            throw InputError(origin, "the prompt learner has \(count) classes; name the class set with --classes (\(all.map(\.name).joined(separator: ", ")))")
        }
    }
}
