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
    /// The theme's heat colour, for the attention map.
    public var heat: RGB = Theme.heatColor(BuiltinTheme.dark)

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

extension Theme {
    /// The `heat` role's foreground (a theme using the terminal's default gets the built-in one).
    public static func heatColor(_ theme: Theme) -> RGB {
        if case let .rgb(c) = theme[.heat].foreground { return c }
        if case let .rgb(c) = BuiltinTheme.dark[.heat].foreground { return c }
        return RGB(255, 90, 31)
    }
}

/// Where the face goes once ncurses has flushed: screen position of its top-left cell.
public struct ImagePlacement {
    public var image: TerminalImage
    public var column: Int
    public var row: Int
}
