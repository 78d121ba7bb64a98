import Faces
import Foundation

/// Decoded faces, loaded off the UI thread and kept for the faces near the selection, plus the last
/// few renderings for the screen. Shared by the UI thread (which only asks `cachedImage`) and the
/// workers (which load synchronously).
public final class ImageStore: @unchecked Sendable {
    private let dataset: ExplorerDataset
    private let inbox: EventInbox
    private let lock = NSLock()
    private var images: [Int: Result<RGBImage, Error>] = [:]
    private var order: [Int] = []
    private var loading: Set<Int> = []
    private let capacity: Int
    private let loader = DispatchQueue(label: "facecap.explorer.images")

    public init(dataset: ExplorerDataset, inbox: EventInbox, capacity: Int = 48) {
        self.dataset = dataset
        self.inbox = inbox
        self.capacity = capacity
    }

    /// UI thread: the image if loaded, else starts loading it and returns nil (an `.imageReady`
    /// event follows).
    public func cachedImage(_ index: Int) -> Result<RGBImage, Error>? {
        lock.lock()
        defer { lock.unlock() }
        if let hit = images[index] { return hit }
        if !loading.contains(index) {
            loading.insert(index)
            loader.async { [self] in
                _ = image(index)
                inbox.post(.imageReady(index))
            }
        }
        return nil
    }

    /// Worker threads: loads now if needed.
    public func image(_ index: Int) -> Result<RGBImage, Error> {
        if let hit = lock.withLock({ images[index] }) { return hit }
        let item = dataset.items[index]
        let result = Result { try dataset.loadImage(item) }
        if case let .failure(error) = result { inbox.post(.imageFailed(index, "\(error)")) }
        lock.withLock {
            images[index] = result
            loading.remove(index)
            order.removeAll { $0 == index }
            order.append(index)
            while order.count > capacity { images[order.removeFirst()] = nil }
        }
        return result
    }
}
