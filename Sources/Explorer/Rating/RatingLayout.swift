/// Where the rating screen puts things for a terminal size. Pure, so every size can be tested.
///
/// Header on top, key help at the bottom and two message lines above it; in between the face on the
/// left (40x20 cells at 80x24, a face needs about that to read; larger on larger terminals) and the
/// captions with their scores on the right. Below 80x24 only "enlarge the terminal" is drawn,
/// the explorer's rule and message.
public struct RatingLayout: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var tooSmall: Bool
    public var header: Rect
    public var face: Rect
    /// The column of the border between face and captions.
    public var borderX: Int
    public var captions: Rect
    public var message: Rect
    public var keys: Rect

    public static func compute(width: Int, height: Int) -> RatingLayout {
        var layout = RatingLayout(width: width, height: height, tooSmall: true, header: .empty, face: .empty,
                                  borderX: 0, captions: .empty, message: .empty, keys: .empty)
        guard width >= ScreenLayout.minimumWidth, height >= ScreenLayout.minimumHeight else { return layout }
        layout.tooSmall = false
        layout.header = Rect(x: 0, y: 0, width: width, height: 1)
        layout.keys = Rect(x: 0, y: height - 1, width: width, height: 1)
        // Two lines: a write error names the file and the reason, which rarely fits in one.
        layout.message = Rect(x: 0, y: height - 3, width: width, height: 2)
        let bodyY = 1, bodyHeight = height - 4
        // Half blocks make a cell two pixels tall, so a square face of N columns needs N/2 rows. The
        // captions keep 37 columns (a score line) or 45% of the width; the face takes the rest, up
        // to the height allows, so it grows with the terminal.
        let captionsWidth = max(37, width * 45 / 100)
        let faceWidth = max(20, min(2 * bodyHeight, width - 3 - captionsWidth))
        layout.face = Rect(x: 0, y: bodyY, width: faceWidth, height: bodyHeight)
        layout.borderX = faceWidth
        layout.captions = Rect(x: faceWidth + 2, y: bodyY, width: width - faceWidth - 3, height: bodyHeight)
        return layout
    }
}
