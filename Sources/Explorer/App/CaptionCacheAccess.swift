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

    public init(lookup: @escaping @Sendable (FaceItem, String, DecodingSettings) -> CaptionResult?,
                store: @escaping @Sendable (CaptionResult, FaceItem, String, DecodingSettings) -> Void) {
        self.lookup = lookup
        self.store = store
    }

    /// No cache: every visit runs the models.
    public static var disabled: CaptionCacheAccess {
        CaptionCacheAccess(lookup: { _, _, _ in nil }, store: { _, _, _, _ in })
    }

    /// A process-lifetime cache (demo and tests).
    public static func inMemory() -> CaptionCacheAccess {
        struct Key: Hashable { var item: String; var model: String; var settings: DecodingSettings }
        final class Box: @unchecked Sendable {
            let lock = NSLock()
            var entries: [Key: CaptionResult] = [:]
        }
        let box = Box()
        return CaptionCacheAccess(
            lookup: { item, model, settings in
                box.lock.withLock { box.entries[Key(item: item.id, model: model, settings: settings)] }
            },
            store: { result, item, model, settings in
                box.lock.withLock { box.entries[Key(item: item.id, model: model, settings: settings)] = result }
            })
    }
}
