import Captioning
import Faces
import Foundation

/// Captions one dataset face with one model through the cache: a hit returns at once, a miss runs
/// the model and stores the result. Shared by the batch `caption --dataset`, the explorer's workers
/// and `study create`, so all three agree on what "the caption of this face" is.
public struct CachedCaptioning: Sendable {
    public let cache: CaptionCache?
    /// Decodes an image file (the PNG decoder, injected so this layer needs no codec choice).
    public let decodeFile: @Sendable (URL) throws -> RGBImage

    public init(cache: CaptionCache?, decodeFile: @escaping @Sendable (URL) throws -> RGBImage) {
        self.cache = cache
        self.decodeFile = decodeFile
    }

    public struct Outcome: Sendable {
        public var result: CaptionResult
        public var fromCache: Bool
    }

    public func caption(_ item: FaceItem, with model: FaceCaptioner, settings: DecodingSettings,
                        progress: @escaping (CaptionProgress) -> Bool = { _ in true }) throws -> Outcome {
        let imageHash = try item.contentHash()
        if let cache, let hit = try cache.lookup(model: model.identity, imageHash: imageHash, settings: settings) {
            return Outcome(result: hit, fromCache: true)
        }
        let image = try item.loadImage(decodeFile: decodeFile)
        let result = try model.caption(image, settings: settings, progress: progress)
        try cache?.store(result, model: model.identity, modelName: model.name, imageHash: imageHash,
                         imageID: item.id, settings: settings)
        return Outcome(result: result, fromCache: false)
    }
}
