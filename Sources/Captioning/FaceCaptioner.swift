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

    public init(captions: [String], tokenIDs: [[Int]], encodeMs: Double, decodeMs: Double) {
        self.captions = captions
        self.tokenIDs = tokenIDs
        self.encodeMs = encodeMs
        self.decodeMs = decodeMs
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
}
