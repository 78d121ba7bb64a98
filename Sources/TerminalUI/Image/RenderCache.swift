import Foundation

/// The last few faces as rendered for a box and mode: encoding a pixel face costs milliseconds to
/// tens of milliseconds, so going back and forth between faces (j, k, j) must not pay it again.
public struct RenderCache<Key: Hashable> {
    private var entries: [(key: Key, image: TerminalImage)] = []
    public let capacity: Int

    public init(capacity: Int = 8) { self.capacity = capacity }

    public func contains(_ key: Key) -> Bool { entries.contains { $0.key == key } }

    public mutating func image(for key: Key, render: () -> TerminalImage?) -> TerminalImage? {
        if let i = entries.firstIndex(where: { $0.key == key }) {
            let hit = entries.remove(at: i)
            entries.append(hit)
            return hit.image
        }
        guard let image = render() else { return nil }
        entries.append((key, image))
        if entries.count > capacity { entries.removeFirst() }
        return image
    }
}

/// `RenderCache` shared by the UI thread and a background renderer. Rendering happens outside the
/// lock, so the UI never waits for a face the background is still encoding (at worst both encode it).
public final class SharedRenderCache<Key: Hashable>: @unchecked Sendable {
    private let lock = NSLock()
    private var cache: RenderCache<Key>

    public init(capacity: Int = 8) { cache = RenderCache(capacity: capacity) }

    public func image(for key: Key, render: () -> TerminalImage?) -> TerminalImage? {
        if let hit = lock.withLock({ cache.image(for: key, render: { nil }) }) { return hit }
        guard let image = render() else { return nil }
        lock.withLock { _ = cache.image(for: key, render: { image }) }
        return image
    }

    public func contains(_ key: Key) -> Bool { lock.withLock { cache.contains(key) } }
}

/// What a rendering depends on.
public struct RenderKey: Hashable {
    public var face: String
    public var columns: Int
    public var rows: Int
    public var mode: ImageMode

    public init(face: String, columns: Int, rows: Int, mode: ImageMode) {
        self.face = face
        self.columns = columns
        self.rows = rows
        self.mode = mode
    }
}
