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
    /// What the face is (its file name), for `FACECAP_IMAGE_LOG`.
    public var label: String? = nil

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

/// Faces rendered for the screen, the last few kept by face, box and mode (`RenderCache`), so a
/// redraw or a return to a face costs no rendering; a prefetcher may fill the same cache.
public final class RenderedFace<ID: Equatable> {
    public let cache = SharedRenderCache<RenderKey>(capacity: 12)

    public init() {}

    /// - Parameter load: the decoded face, nil while it is still loading.
    public func image(id: ID, box: Rect, graphics: TerminalGraphics, failure: (Error) -> String,
                      load: () -> Result<RGBImage, Error>?) -> FaceImage {
        guard !box.isEmpty else { return .none }
        let key = RenderKey(face: "\(id)", columns: box.width, rows: box.height, mode: graphics.mode)
        if let hit = cache.image(for: key, render: { nil }) { return .ready(hit) }
        switch load() {
        case nil: return .loading
        case let .failure(error)?: return .failed(failure(error))
        case let .success(image)?:
            guard let rendered = cache.image(for: key, render: {
                FaceRenderer.render(image, boxColumns: box.width, boxRows: box.height, mode: graphics.mode,
                                    cell: graphics.cell, sixelRegisters: graphics.sixelRegisters)
            }) else { return .failed("empty image") }
            return .ready(rendered)
        }
    }
}
