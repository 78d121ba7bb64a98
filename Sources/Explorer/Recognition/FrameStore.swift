import Faces
import Foundation

/// Decoded clip frames for playback in the face view, loaded off the UI thread like `ImageStore`'s
/// faces and kept for the last few dozen frames, so a looping clip does not decode every frame again.
final class FrameStore: @unchecked Sendable {
    struct Key: Hashable {
        var item: Int
        var frame: Int
    }

    private let dataset: ExplorerDataset
    private let inbox: EventInbox
    private let lock = NSLock()
    private var frames: [Key: Result<RGBImage, Error>] = [:]
    private var order: [Key] = []
    private var loading: Set<Key> = []
    private let capacity = 64
    private let loader = DispatchQueue(label: "facecap.explorer.frames")

    init(dataset: ExplorerDataset, inbox: EventInbox) {
        self.dataset = dataset
        self.inbox = inbox
    }

    /// UI thread: the frame if loaded, else starts loading it (an `.imageReady` event follows).
    func cachedFrame(item: Int, frame: Int) -> Result<RGBImage, Error>? {
        let key = Key(item: item, frame: frame)
        lock.lock()
        defer { lock.unlock() }
        if let hit = frames[key] { return hit }
        if loading.insert(key).inserted {
            loader.async { [self] in
                _ = self.frame(item: item, frame: frame)
                inbox.post(.imageReady(item))
            }
        }
        return nil
    }

    /// Background threads (rendering the next frame ahead): loads now if needed.
    func frame(item: Int, frame: Int) -> Result<RGBImage, Error> {
        let key = Key(item: item, frame: frame)
        if let hit = lock.withLock({ frames[key] }) { return hit }
        let face = dataset.items[item]
        let result = Result { try dataset.loadFrame.map { try $0(face, frame) } ?? dataset.loadImage(face) }
        lock.withLock {
            if frames[key] == nil { order.append(key) }
            frames[key] = result
            loading.remove(key)
            while order.count > capacity { frames[order.removeFirst()] = nil }
        }
        return result
    }
}
