import CNcurses

/// Turns ncurses' key codes into `KeyInput`. Function-like macros (mouse masks) are not imported
/// into Swift, so their values for NCURSES_MOUSE_VERSION 2 are spelled out here.
enum CursesKeys {
    static let button1Released: UInt = 0o1
    static let button1Pressed: UInt = 0o2
    static let button1Clicked: UInt = 0o4
    static let button4Pressed: UInt = 0o2 << 15
    static let button5Pressed: UInt = 0o2 << 20
    static var mouseMask: UInt { button1Pressed | button1Released | button1Clicked | button4Pressed | button5Pressed }

    /// Reads one key without waiting; nil when none is pending.
    static func read() -> KeyInput?? {
        var ch: wint_t = 0
        let status = wget_wch(stdscr, &ch)
        if status == ERR { return nil }
        if status == KEY_CODE_YES { return .some(functionKey(Int32(ch))) }
        return .some(character(UInt32(ch)))
    }

    static func character(_ code: UInt32) -> KeyInput? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0..<32: return nil
        default: return Unicode.Scalar(code).map { .char(Character($0)) }
        }
    }

    static func functionKey(_ code: Int32) -> KeyInput? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_RESIZE: return .resize
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let state = UInt(event.bstate)
            if state & button4Pressed != 0 { return .wheelUp }
            if state & button5Pressed != 0 { return .wheelDown }
            if state & (button1Pressed | button1Clicked) != 0 { return .click(x: Int(event.x), y: Int(event.y)) }
            return nil
        default: return nil
        }
    }
}
