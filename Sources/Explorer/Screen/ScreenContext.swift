/// What the painter needs besides the state: names, queue counts and the face to show.
public struct ScreenContext {
    public enum FaceImage {
        case none
        case loading
        case failed(String)
        case ready(TerminalImage)
    }

    public var datasetName: String
    public var themeName: String
    public var glyphs: Glyphs
    public var queue: (pending: Int, running: Int)
    public var actionUnitName: (Int) -> String?
    public var image: FaceImage
    /// How faces are drawn and why ("images: sixel (...)"), for the help screen.
    public var imageSummary = ""

    public init(datasetName: String, themeName: String, glyphs: Glyphs, queue: (pending: Int, running: Int),
                actionUnitName: @escaping (Int) -> String?, image: FaceImage) {
        self.datasetName = datasetName
        self.themeName = themeName
        self.glyphs = glyphs
        self.queue = queue
        self.actionUnitName = actionUnitName
        self.image = image
    }
}

/// Where the face goes once ncurses has flushed: screen position of its top-left cell.
public struct ImagePlacement {
    public var image: TerminalImage
    public var column: Int
    public var row: Int
}
