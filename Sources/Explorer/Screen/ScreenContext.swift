/// What the painter needs besides the state: names, queue counts and the face to show.
public struct ScreenContext {
    public typealias FaceImage = TerminalUI.FaceImage

    public var datasetName: String
    public var themeName: String
    public var glyphs: Glyphs
    /// The job queue's counts (the status line counts from the state instead; see `BarsView.status`).
    public var queue: (pending: Int, running: Int)
    public var actionUnitName: (Int) -> String?
    public var image: FaceImage
    /// How faces are drawn and why ("images: sixel (...)"), for the help screen.
    public var imageSummary = ""
    /// The theme's heat colour, for the attention map.
    public var heat: RGB = Theme.builtinHeat

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
