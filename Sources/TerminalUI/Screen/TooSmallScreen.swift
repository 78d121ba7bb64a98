/// Below 80x24 neither app can lay out its screen; both draw only this, and take only `q`.
public enum TooSmallScreen {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public static func isTooSmall(width: Int, height: Int) -> Bool { width < minimumWidth || height < minimumHeight }

    /// The message, centred; `extra` lines (a pending question) go under it.
    public static func paint(width: Int, height: Int, extra: [String] = [], on canvas: Canvas) {
        var lines = ["Terminal too small: \(width)x\(height).",
                     "Please enlarge the terminal to at least \(minimumWidth)x\(minimumHeight).",
                     "(q quits)"]
        if !extra.isEmpty { lines = lines.dropLast() + [""] + extra }
        let top = max(0, height / 2 - lines.count / 2)
        for (i, line) in lines.enumerated() where top + i < height {
            let x = max(0, (width - line.count) / 2)
            canvas.text(x, top + i, line, role: i == 0 || i >= lines.count - extra.count ? .error : .text,
                        maxWidth: width - x)
        }
    }
}
