import Captioning

/// One unit of background work for a (face, model) slot.
public struct CaptionJob: Equatable, Sendable {
    public var key: SlotKey
    public var settings: DecodingSettings
    /// Skip the cache lookup (`r` regenerates even what is cached).
    public var force: Bool
    /// Only ask the cache (fills list marks and caption search for faces not yet visited).
    public var cacheOnly: Bool
    /// Record where each token looked (a cached caption without attention counts as a miss).
    public var recordAttention = false
}
