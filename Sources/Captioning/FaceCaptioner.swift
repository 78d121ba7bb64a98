import Faces

/// What a caption job reports while it runs. Returning `false` from the progress callback cancels.
public enum CaptionProgress: Sendable {
    case encoding
    case decoding(step: Int, maxSteps: Int, partial: String)
}

/// The captions of one image by one model, with timings.
public struct CaptionResult: Sendable, Hashable, Codable {
    public var captions: [String]
    /// Generated ids only (no query, `</s>` or prompt ids), one list per caption.
    public var tokenIDs: [[Int]]
    public var encodeMs: Double
    public var decodeMs: Double
    /// One list per caption, one log-probability per generated id (after the logits processors);
    /// empty for results cached before facecap recorded them.
    public var tokenLogprobs: [[Float]]
    /// Where each token looked; only when the caption was made with attention recording.
    public var attention: CaptionAttention?

    public init(captions: [String], tokenIDs: [[Int]], encodeMs: Double, decodeMs: Double,
                tokenLogprobs: [[Float]] = [], attention: CaptionAttention? = nil) {
        self.captions = captions
        self.tokenIDs = tokenIDs
        self.encodeMs = encodeMs
        self.decodeMs = decodeMs
        self.tokenLogprobs = tokenLogprobs
        self.attention = attention
    }
}

/// Thrown when a progress callback returns false.
public struct CaptionCancelled: Error {
    public init() {}
}

/// A loaded captioner, as the explorer, the batch captioner and rating studies see it.
public protocol FaceCaptioner: AnyObject, Sendable {
    /// Display name (the model folder's name, e.g. "Exp-BLIP").
    var name: String { get }
    /// Content identity of the weights and configs; the caption cache keys on it.
    var identity: String { get }
    /// From the model's generation_config.json.
    var defaultSettings: DecodingSettings { get }
    /// Runs the whole model on one image. Safe to call from several threads at once.
    func caption(_ image: RGBImage, settings: DecodingSettings,
                 progress: @escaping (CaptionProgress) -> Bool) throws -> CaptionResult
    /// The same, recording where each token looked (`CaptionResult.attention`) when asked.
    /// Captioners that cannot record return no attention.
    func caption(_ image: RGBImage, settings: DecodingSettings, recordAttention: Bool,
                 progress: @escaping (CaptionProgress) -> Bool) throws -> CaptionResult
    /// The text each generated id adds to the caption, for lining tokens up with words; empty when
    /// the captioner cannot say.
    func tokenPieces(_ ids: [Int]) -> [String]
}

extension FaceCaptioner {
    public func caption(_ image: RGBImage, settings: DecodingSettings, recordAttention: Bool,
                        progress: @escaping (CaptionProgress) -> Bool) throws -> CaptionResult {
        try caption(image, settings: settings, progress: progress)
    }

    public func tokenPieces(_ ids: [Int]) -> [String] { [] }
}
