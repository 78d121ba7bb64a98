/// What a key means on the main screen.
public enum Command: Equatable, Sendable {
    case move(Int)
    case page(Int)
    case top, bottom
    case nextPane, previousPane
    case search, filter, regenerate, nextTheme, help
    /// Enter: the focused pane's captions in full.
    case readCaption
    case cancel, quit
    case click(x: Int, y: Int)
}
