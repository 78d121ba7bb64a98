/// Where screens are drawn: ncurses in the app, a character grid in tests.
public protocol Canvas: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Fills a rectangle with spaces in a role's background.
    func fill(_ rect: Rect, role: TextRole)
    /// Writes text at (x, y), clipped to `maxWidth` cells and the screen.
    func text(_ x: Int, _ y: Int, _ string: String, role: TextRole, maxWidth: Int)
}

extension Canvas {
    public func text(_ x: Int, _ y: Int, _ string: String, role: TextRole) {
        text(x, y, string, role: role, maxWidth: width - x)
    }

    /// Draws styled runs left to right; returns the column after the last one.
    @discardableResult
    public func runs(_ x: Int, _ y: Int, _ line: StyledLine, maxWidth: Int) -> Int {
        var column = x
        for run in line where column < x + maxWidth {
            text(column, y, run.text, role: run.role, maxWidth: x + maxWidth - column)
            column += run.text.count
        }
        return min(column, x + maxWidth)
    }
}

/// Cuts a string to `width` Characters, marking the cut with an ellipsis (or "~" without UTF-8).
public func clip(_ s: String, _ width: Int, ellipsis: String = "…") -> String {
    guard width > 0 else { return "" }
    if s.count <= width { return s }
    return String(s.prefix(max(0, width - 1))) + ellipsis
}

/// Pads or clips to exactly `width` Characters.
public func pad(_ s: String, _ width: Int) -> String {
    let c = clip(s, width)
    return c + String(repeating: " ", count: max(0, width - c.count))
}
