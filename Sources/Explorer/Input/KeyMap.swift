/// Main-screen keys, following lazygit/btop/vim habits. Dialogs (search, filter, regenerate, help)
/// read keys themselves; this table is also what the `?` screen lists.
public enum KeyMap {
    public static func command(for key: KeyInput) -> Command? {
        switch key {
        case .char("j"), .down, .wheelDown: return .move(1)
        case .char("k"), .up, .wheelUp: return .move(-1)
        case .pageDown, .char(" "): return .page(1)
        case .pageUp, .char("b"): return .page(-1)
        case .char("g"), .home: return .top
        case .char("G"), .end: return .bottom
        case .tab, .char("l"), .right: return .nextPane
        case .backTab, .char("h"), .left: return .previousPane
        case .char("/"): return .search
        case .char("f"): return .filter
        case .char("r"): return .regenerate
        case .enter: return .readCaption
        case .char("t"): return .nextTheme
        case .char("?"): return .help
        case .escape: return .cancel
        case .char("q"): return .quit
        case let .click(x, y): return .click(x: x, y: y)
        default: return nil
        }
    }

    /// (keys, meaning) for the help screen and the status bar.
    public static let help: [(String, String)] = [
        ("j / k, arrows", "next / previous face"),
        ("PgDn / PgUp, space / b", "page down / up"),
        ("g / G, Home / End", "first / last face"),
        ("Tab / Shift-Tab, l / h", "focus next / previous caption pane"),
        ("/", "search file names and captions (Enter keeps, Esc clears)"),
        ("f", "filter: emotion, action unit, disagreement, caption text"),
        ("Enter", "read the focused pane's captions in full"),
        ("r", "regenerate the focused pane: beam / nucleus, number of captions"),
        ("t", "next colour theme"),
        ("Esc", "cancel captioning in progress; close dialogs"),
        ("mouse click", "select a face / focus a pane"),
        ("?", "this help"),
        ("q", "quit"),
    ]
}
