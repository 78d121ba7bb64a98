/// Where everything goes for a given terminal size. Pure, so every size can be tested.
///
/// Narrow (the usual 80-139 columns): list | face over ground truth | caption panes stacked, the
/// focused pane taking the spare height. Wide (enough room for every pane to get 30 columns): list |
/// face beside ground truth on top, caption panes side by side below.
public struct ScreenLayout: Equatable, Sendable {
    public static let minimumWidth = TooSmallScreen.minimumWidth
    public static let minimumHeight = TooSmallScreen.minimumHeight

    public var width: Int
    public var height: Int
    /// Below 80x24 nothing but an "enlarge the terminal" message is drawn.
    public var tooSmall: Bool
    public var sideBySide: Bool
    public var header: Rect
    public var list: Rect
    /// The box the face is fitted into (the face itself may be smaller, centred).
    public var image: Rect
    public var truth: Rect
    public var panes: [Rect]
    public var status: Rect
    /// The recognizer pane: the lower part of the ground-truth box, when there is a recognizer.
    public var recognizer: Rect = .empty

    public static func compute(width: Int, height: Int, modelCount: Int, focusedPane: Int, recognizerRows: Int = 0) -> ScreenLayout {
        var layout = ScreenLayout(width: width, height: height, tooSmall: true, sideBySide: false,
                                  header: .empty, list: .empty, image: .empty, truth: .empty, panes: [], status: .empty)
        guard width >= minimumWidth, height >= minimumHeight else { return layout }
        layout.tooSmall = false
        layout.header = Rect(x: 0, y: 0, width: width, height: 1)
        layout.status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let bodyY = 1, bodyHeight = height - 2
        // A quarter of the width, 24 to 40 columns: compound labels ("sadness and anger") fit whole
        // beside the file name on wide terminals.
        let listWidth = min(40, max(24, width / 4))
        layout.list = Rect(x: 0, y: bodyY, width: listWidth, height: bodyHeight)
        // One column of border between the list and the rest.
        let rightX = listWidth + 1, rightWidth = width - rightX
        let count = max(1, modelCount)
        layout.sideBySide = rightWidth / count >= 30 && bodyHeight >= 28
        if layout.sideBySide {
            let topHeight = bodyHeight / 2 + 2
            let imageWidth = min(2 * topHeight, rightWidth / 2)
            layout.image = Rect(x: rightX, y: bodyY, width: imageWidth, height: topHeight)
            layout.truth = Rect(x: rightX + imageWidth + 1, y: bodyY, width: rightWidth - imageWidth - 1, height: topHeight)
            let paneY = bodyY + topHeight, paneHeight = bodyHeight - topHeight
            let paneWidth = (rightWidth - (count - 1)) / count
            layout.panes = (0..<count).map { i in
                let x = rightX + i * (paneWidth + 1)
                let w = i == count - 1 ? rightX + rightWidth - x : paneWidth
                return Rect(x: x, y: paneY, width: w, height: paneHeight)
            }
        } else {
            let middleWidth = max(20, rightWidth * 48 / 100)
            let imageHeight = min((middleWidth + 1) / 2, bodyHeight - 6)
            layout.image = Rect(x: rightX, y: bodyY, width: middleWidth, height: imageHeight)
            layout.truth = Rect(x: rightX, y: bodyY + imageHeight, width: middleWidth, height: bodyHeight - imageHeight)
            let paneX = rightX + middleWidth + 1, paneWidth = width - paneX
            layout.panes = stackedHeights(total: bodyHeight, count: count, focused: focusedPane)
                .reduce(into: [Rect]()) { rects, h in
                    let y = rects.last.map { $0.maxY } ?? bodyY
                    rects.append(Rect(x: paneX, y: y, width: paneWidth, height: h))
                }
        }
        if modelCount == 0 { layout.panes = [layout.panes[0]] }
        if recognizerRows > 0 { layout.carveRecognizer(rows: recognizerRows) }
        return layout
    }

    /// The recognizer pane takes the bottom of the ground-truth box (one bar per class beside the
    /// truth it is judged against). The truth keeps six rows (name, emotion, three action units) when
    /// the pane can still have its title, verdict and a bar; on small screens the pane shrinks to three.
    mutating func carveRecognizer(rows: Int) {
        guard truth.height >= 6 else { return }
        let h = min(rows, max(3, truth.height - 6))
        recognizer = Rect(x: truth.x, y: truth.maxY - h, width: truth.width, height: h)
        truth.height -= h
    }

    /// Equal shares when each pane gets at least 4 rows; otherwise unfocused panes shrink to a
    /// title and one line and the focused pane takes the rest (an accordion).
    static func stackedHeights(total: Int, count: Int, focused: Int) -> [Int] {
        let focus = max(0, min(count - 1, focused))
        let share = total / count
        if share >= 4 {
            return (0..<count).map { $0 == focus ? share + total % count : share }
        }
        let small = 2
        return (0..<count).map { $0 == focus ? total - small * (count - 1) : small }
    }

    /// What a mouse click at (x, y) hit.
    public enum Hit: Equatable, Sendable {
        case listRow(Int)
        case pane(Int)
    }

    public func hit(x: Int, y: Int) -> Hit? {
        if tooSmall { return nil }
        if list.contains(x: x, y: y) { return .listRow(y - list.y) }
        if let i = panes.firstIndex(where: { $0.contains(x: x, y: y) }) { return .pane(i) }
        return nil
    }
}
