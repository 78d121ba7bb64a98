import Faces

/// The face of the screen as far as it is known: none, still loading, unreadable, or rendered.
public enum FaceImage {
    case none
    case loading
    case failed(String)
    case ready(TerminalImage)

    public var isFailure: Bool { if case .failed = self { return true }; return false }
}

/// Where the face goes once ncurses has flushed: screen position of its top-left cell.
public struct ImagePlacement {
    public var image: TerminalImage
    public var column: Int
    public var row: Int

    public init(image: TerminalImage, column: Int, row: Int) {
        self.image = image
        self.column = column
        self.row = row
    }
}

/// The face's box on a canvas. The face itself is not drawn here: the box is blanked and its
/// placement returned for the terminal layer to write after ncurses (see `TerminalImagePainter`);
/// without a face, a message is centred in the box.
public enum FacePainter {
    public static func paint(_ image: FaceImage, box: Rect, emptyMessage: String = "", on canvas: Canvas) -> ImagePlacement? {
        canvas.fill(box, role: .text)
        let message: String
        switch image {
        case let .ready(image):
            return ImagePlacement(image: image, column: box.x + image.offsetX, row: box.y + image.offsetY)
        case .none: message = emptyMessage
        case .loading: message = "loading face…"
        case let .failed(error): message = error
        }
        let lines = TextWrap.lines(message, width: max(1, box.width - 2), role: image.isFailure ? .error : .muted)
        for (i, line) in lines.prefix(box.height).enumerated() {
            canvas.runs(box.x + 1, box.y + box.height / 2 - lines.count / 2 + i, line, maxWidth: box.width - 2)
        }
        return nil
    }
}

/// The last face rendered for the screen, kept until the face, its box or the image mode changes,
/// so a redraw costs no rendering.
public final class RenderedFace<ID: Equatable> {
    private var last: (id: ID, box: Rect, mode: ImageMode, image: TerminalImage)?

    public init() {}

    /// - Parameter load: the decoded face, nil while it is still loading.
    public func image(id: ID, box: Rect, mode: ImageMode, failure: (Error) -> String,
                      load: () -> Result<RGBImage, Error>?) -> FaceImage {
        guard !box.isEmpty else { return .none }
        if let r = last, r.id == id, r.box == box, r.mode == mode { return .ready(r.image) }
        switch load() {
        case nil: return .loading
        case let .failure(error)?: return .failed(failure(error))
        case let .success(image)?:
            guard let rendered = HalfBlockRenderer.render(image, boxColumns: box.width, boxRows: box.height, mode: mode)
            else { return .failed("empty image") }
            last = (id, box, mode, rendered)
            return .ready(rendered)
        }
    }
}
