import Faces

/// The recognizer pane's model, as the explorer sees it: a name, its classes, and a function the
/// executable wires to the real recognizer (DFER-CLIP, with its cache lookup-or-run). The explorer
/// never imports the model code: it only needs class probabilities for a face or a frame window.
public struct ExplorerRecognizer: Sendable {
    public let name: String
    public let classes: [String]
    /// Frames the model takes per clip (DFER-CLIP: 16); a playing clip is recognised in windows this long.
    public let windowFrames: Int
    /// Recognises a still or clip, or only `window` (frame indices) of a clip.
    public let recognize: (@Sendable (FaceItem, Range<Int>?) throws -> RecognizerResult)?
    /// Why the recognizer did not load (shown in its pane).
    public let loadError: String?

    public init(name: String, classes: [String], windowFrames: Int,
                recognize: @escaping @Sendable (FaceItem, Range<Int>?) throws -> RecognizerResult) {
        self.name = name
        self.classes = classes
        self.windowFrames = max(1, windowFrames)
        self.recognize = recognize
        loadError = nil
    }

    public static func failed(name: String, error: String) -> ExplorerRecognizer {
        ExplorerRecognizer(name: name, error: error)
    }

    private init(name: String, error: String) {
        self.name = name
        classes = []
        windowFrames = 16
        recognize = nil
        loadError = error
    }
}

/// One recognition: probabilities per class and the frames that were used.
public struct RecognizerResult: Sendable, Equatable {
    public var classes: [String]
    public var probs: [Float]
    public var frames: [Int]
    public var fromCache: Bool

    public init(classes: [String], probs: [Float], frames: [Int], fromCache: Bool = false) {
        self.classes = classes
        self.probs = probs
        self.frames = frames
        self.fromCache = fromCache
    }

    public var top: String { classes[probs.indices.max { probs[$0] < probs[$1] } ?? 0] }

    /// The top class is not the ground-truth emotion (nil when there is no single-emotion truth).
    public func disagrees(with truth: FaceLabels?) -> Bool? {
        guard let word = truth?.emotion, let emotion = Emotion(label: word) else { return nil }
        return Emotion(label: top) != emotion
    }
}

/// Which recognition a slot holds: a face (window nil: the whole clip or the still) or a frame window of a clip.
public struct RecognitionKey: Hashable, Sendable {
    public var item: Int
    public var window: Range<Int>?

    public init(item: Int, window: Range<Int>?) {
        self.item = item
        self.window = window
    }
}

public enum RecognitionSlot: Sendable, Equatable {
    case running
    case done(RecognizerResult)
    case failed(String)
}
