/// A colour in a theme: an exact RGB, or the terminal's own default (lets transparent terminals show through).
public enum ThemeColor: Hashable, Sendable {
    case rgb(RGB)
    case terminalDefault
}

/// How one role is drawn.
public struct TextStyle: Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var bold = false
    public var underline = false
    public var reverse = false

    public init(foreground: ThemeColor, background: ThemeColor, bold: Bool = false,
                underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
    }
}

/// A complete colour theme: one style for every `TextRole`.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var styles: [TextRole: TextStyle]

    public init(name: String, styles: [TextRole: TextStyle]) {
        precondition(TextRole.allCases.allSatisfy { styles[$0] != nil }, "a theme needs every role")
        self.name = name
        self.styles = styles
    }

    public subscript(role: TextRole) -> TextStyle { styles[role]! }
}
