import TerminalUI

/// A character grid with one role per cell, standing in for ncurses.
public final class GridCanvas: Canvas {
    public let width: Int
    public let height: Int
    public var chars: [[Character]]
    public var roles: [[TextRole]]

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        chars = Array(repeating: Array(repeating: " ", count: width), count: height)
        roles = Array(repeating: Array(repeating: .text, count: width), count: height)
    }

    public func fill(_ rect: Rect, role: TextRole) {
        for y in max(0, rect.y)..<min(height, rect.maxY) { for x in max(0, rect.x)..<min(width, rect.maxX) {
            chars[y][x] = " "; roles[y][x] = role
        } }
    }

    public func text(_ x: Int, _ y: Int, _ string: String, role: TextRole, maxWidth: Int) {
        guard y >= 0, y < height else { return }
        for (i, c) in string.prefix(max(0, maxWidth)).enumerated() where x + i >= 0 && x + i < width {
            chars[y][x + i] = c; roles[y][x + i] = role
        }
    }

    public var lines: [String] { chars.map { String($0) } }
    public var screen: String { lines.joined(separator: "\n") }

    public func role(of needle: String) -> TextRole? {
        for (y, line) in lines.enumerated() {
            if let r = line.range(of: needle) { return roles[y][line.distance(from: line.startIndex, to: r.lowerBound)] }
        }
        return nil
    }
}
