import Captioning
import Faces
import Foundation

/// The explorer's view of the caption cache: two closures, so any store (the SQLite CaptionStore,
/// an in-memory dictionary, nothing) wires in with a few lines. Both are called on worker threads
/// only, never on the UI thread, so they may block on disk.
public struct CaptionCacheAccess: Sendable {
    public var lookup: @Sendable (_ item: FaceItem, _ modelIdentity: String, _ settings: DecodingSettings) -> CaptionResult?
    public var store: @Sendable (_ result: CaptionResult, _ item: FaceItem, _ modelIdentity: String,
                                 _ settings: DecodingSettings) -> Void

    /// The same for images that exist only in memory (occluded faces), keyed by `RGBImage.pixelHash`.
    public var lookupImage: @Sendable (_ imageHash: String, _ modelIdentity: String, _ settings: DecodingSettings) -> CaptionResult?
    public var storeImage: @Sendable (_ result: CaptionResult, _ imageHash: String, _ imageID: String, _ modelIdentity: String,
                                      _ settings: DecodingSettings) -> Void

    public init(lookup: @escaping @Sendable (FaceItem, String, DecodingSettings) -> CaptionResult?,
                store: @escaping @Sendable (CaptionResult, FaceItem, String, DecodingSettings) -> Void,
                lookupImage: @escaping @Sendable (String, String, DecodingSettings) -> CaptionResult? = { _, _, _ in nil },
                storeImage: @escaping @Sendable (CaptionResult, String, String, String, DecodingSettings) -> Void = { _, _, _, _, _ in }) {
        self.lookup = lookup
        self.store = store
        self.lookupImage = lookupImage
        self.storeImage = storeImage
    }

    /// No cache: every visit runs the models.
    public static var disabled: CaptionCacheAccess {
        CaptionCacheAccess(lookup: { _, _, _ in nil }, store: { _, _, _, _ in })
    }

    /// A process-lifetime cache (demo and tests).
    public static func inMemory() -> CaptionCacheAccess {
        struct Key: Hashable { var image: String; var model: String; var settings: DecodingSettings }
        final class Box: @unchecked Sendable {
            let lock = NSLock()
            var entries: [Key: CaptionResult] = [:]
        }
        let box = Box()
        return CaptionCacheAccess(
            lookup: { item, model, settings in
                box.lock.withLock { box.entries[Key(image: item.id, model: model, settings: settings)] }
            },
            store: { result, item, model, settings in
                box.lock.withLock { box.entries[Key(image: item.id, model: model, settings: settings)] = result }
            },
            lookupImage: { hash, model, settings in
                box.lock.withLock { box.entries[Key(image: "#" + hash, model: model, settings: settings)] }
            },
            storeImage: { result, hash, _, model, settings in
                box.lock.withLock { box.entries[Key(image: "#" + hash, model: model, settings: settings)] = result }
            })
    }
}
