/// The last few faces as rendered for a box and mode: encoding a pixel face costs milliseconds to
/// tens of milliseconds, so going back and forth between faces (j, k, j) must not pay it again.
public struct RenderCache<Key: Hashable> {
    private var entries: [(key: Key, image: TerminalImage)] = []
    public let capacity: Int

    public init(capacity: Int = 8) { self.capacity = capacity }

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
