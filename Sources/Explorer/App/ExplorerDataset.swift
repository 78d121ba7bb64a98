import Faces

/// The faces the explorer browses. The lead wires `FaceDataset.open` into this; the demo builds one
/// in memory. `loadImage` is only ever called off the UI thread and may throw an `InputError`.
public struct ExplorerDataset: Sendable {
    public var name: String
    public var items: [FaceItem]
    public var loadImage: @Sendable (FaceItem) throws -> RGBImage
    /// What opening the dataset reported (skipped files, malformed label lines): `w` lists them.
    public var warnings: [String]
    /// Frame N of a clip (clips play in the face view); nil shows a clip's first frame only.
    public var loadFrame: (@Sendable (FaceItem, Int) throws -> RGBImage)?

    public init(name: String, items: [FaceItem], warnings: [String] = [],
                loadImage: @escaping @Sendable (FaceItem) throws -> RGBImage,
                loadFrame: (@Sendable (FaceItem, Int) throws -> RGBImage)? = nil) {
        self.name = name
        self.items = items
        self.warnings = warnings
        self.loadImage = loadImage
        self.loadFrame = loadFrame
    }
}
