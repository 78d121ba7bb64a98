import Captioning
import Faces
import Foundation

/// Captions one dataset face with one model through the cache: a hit returns at once, a miss runs
/// the model and stores the result. Shared by the batch `caption --dataset`, the explorer's workers
/// and `study create`, so all three agree on what "the caption of this face" is and the cache rows
/// all carry the model's name.
public struct CachedCaptioning: Sendable {
    public let cache: CaptionCache?
    /// Decodes an image file (FaceImageDecoder, injected so this layer needs no codec choice).
    public let decodeFile: @Sendable (URL) throws -> RGBImage

    public init(cache: CaptionCache?, decodeFile: @escaping @Sendable (URL) throws -> RGBImage) {
        self.cache = cache
        self.decodeFile = decodeFile
    }

    public struct Outcome: Sendable {
        public var result: CaptionResult
        public var fromCache: Bool
    }

    /// How far to go for one caption.
    public enum Policy: Sendable {
        /// The cache's caption, else run the model and store it.
        case lookupOrRun
        /// Only ask the cache (the explorer fills list marks and caption search this way).
        case lookupOnly
        /// Run even if cached and replace the row (the explorer's `r`).
        case run
    }

    /// `recordAttention`: a cached caption without recorded attention counts as a miss.
    /// `occlusion`: caption the face with that region greyed out, cached under the occluded
    /// pixels' hash (so the probe's answers are as reusable as plain captions).
    public func caption(_ item: FaceItem, with model: FaceCaptioner, settings: DecodingSettings,
                        recordAttention: Bool = false, occlusion: OcclusionRegion? = nil,
                        progress: @escaping (CaptionProgress) -> Bool = { _ in true }) throws -> Outcome {
        // lookupOrRun always ends in an outcome.
        try caption(item, with: model, settings: settings, policy: .lookupOrRun, recordAttention: recordAttention,
                    occlusion: occlusion, progress: progress)!
    }

    /// - Parameters:
    ///   - loadImage: the face's pixels when the caller already holds them decoded (the explorer's
    ///     image store); by default the item is decoded with `decodeFile`.
    ///   - willRun: called after a miss, before the model runs (for an unoccluded face, also before
    ///     its image is loaded).
    /// - Returns: nil only for `.lookupOnly` when the cache has no caption.
    public func caption(_ item: FaceItem, with model: FaceCaptioner, settings: DecodingSettings, policy: Policy,
                        recordAttention: Bool = false, occlusion: OcclusionRegion? = nil,
                        loadImage: (() throws -> RGBImage)? = nil, willRun: () -> Void = {},
                        progress: @escaping (CaptionProgress) -> Bool = { _ in true }) throws -> Outcome? {
        func load() throws -> RGBImage { try loadImage?() ?? item.loadImage(decodeFile: decodeFile) }
        // An occluded face exists only in memory: its key is the occluded pixels' hash, so the
        // pixels are needed before the cache can be asked.
        let occluded = try occlusion.map { Occlusion.apply($0, to: try load()) }
        let imageHash = try occluded?.pixelHash ?? item.contentHash()
        if policy != .run, let hit = try lookup(model, imageHash, settings, recordAttention) {
            return Outcome(result: hit, fromCache: true)
        }
        if policy == .lookupOnly { return nil }
        willRun()
        let image = try occluded ?? load()
        let result = try model.caption(image, settings: settings, recordAttention: recordAttention, progress: progress)
        try cache?.store(result, model: model.identity, modelName: model.name, imageHash: imageHash,
                         imageID: occlusion?.imageID(of: item.id) ?? item.id, settings: settings)
        return Outcome(result: result, fromCache: false)
    }

    private func lookup(_ model: FaceCaptioner, _ imageHash: String, _ settings: DecodingSettings,
                        _ recordAttention: Bool) throws -> CaptionResult? {
        guard let cache, let hit = try cache.lookup(model: model.identity, imageHash: imageHash, settings: settings),
              !recordAttention || hit.attention != nil else { return nil }
        return hit
    }
}
