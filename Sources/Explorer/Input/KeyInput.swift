/// A key press or mouse event, already decoded from ncurses' codes (see `CursesKeys`).
public enum KeyInput: Hashable, Sendable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace
    case resize
    case click(x: Int, y: Int)
    case wheelUp, wheelDown
}
