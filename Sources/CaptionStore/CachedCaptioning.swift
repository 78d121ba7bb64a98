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

    /// `recordAttention`: a cached caption without recorded attention counts as a miss.
    /// `occlusion`: caption the face with that region greyed out, cached under the occluded
    /// pixels' hash (so the probe's answers are as reusable as plain captions).
    public func caption(_ item: FaceItem, with model: FaceCaptioner, settings: DecodingSettings,
                        recordAttention: Bool = false, occlusion: OcclusionRegion? = nil,
                        progress: @escaping (CaptionProgress) -> Bool = { _ in true }) throws -> Outcome {
        if let occlusion {
            let image = Occlusion.apply(occlusion, to: try item.loadImage(decodeFile: decodeFile))
            return try caption(image, imageHash: image.pixelHash, imageID: occlusion.imageID(of: item.id), with: model,
                               settings: settings, recordAttention: recordAttention, progress: progress)
        }
        let imageHash = try item.contentHash()
        if let hit = try lookup(model, imageHash, settings, recordAttention) { return Outcome(result: hit, fromCache: true) }
        return try caption(try item.loadImage(decodeFile: decodeFile), imageHash: imageHash, imageID: item.id, with: model,
                           settings: settings, recordAttention: recordAttention, progress: progress)
    }

    /// An image already in memory, under a hash the caller chose.
    public func caption(_ image: RGBImage, imageHash: String, imageID: String, with model: FaceCaptioner,
                        settings: DecodingSettings, recordAttention: Bool = false,
                        progress: @escaping (CaptionProgress) -> Bool = { _ in true }) throws -> Outcome {
        if let hit = try lookup(model, imageHash, settings, recordAttention) { return Outcome(result: hit, fromCache: true) }
        let result = try model.caption(image, settings: settings, recordAttention: recordAttention, progress: progress)
        try cache?.store(result, model: model.identity, modelName: model.name, imageHash: imageHash,
                         imageID: imageID, settings: settings)
        return Outcome(result: result, fromCache: false)
    }

    private func lookup(_ model: FaceCaptioner, _ imageHash: String, _ settings: DecodingSettings,
                        _ recordAttention: Bool) throws -> CaptionResult? {
        guard let cache, let hit = try cache.lookup(model: model.identity, imageHash: imageHash, settings: settings),
              !recordAttention || hit.attention != nil else { return nil }
        return hit
    }
}
