import Tensor
import TOMLKit

/// Reads a theme file:
/// ```toml
/// name = "dark"
/// background = "#1e1f29"     # fills every role's missing `bg`
/// [text]
/// fg = "#d8dae5"
/// [emotion]
/// fg = "#ff6b6b"
/// bold = true
/// ```
/// Every role of `TextRole` must be present; `fg` is required, `bg` defaults to `background`,
/// `bold`/`underline`/`reverse` default to false. Colours are `#rrggbb` or `default`. Anything
/// else is an `InputError` naming the offending key, so a typo never silently falls back.
public enum ThemeParser {
    public static func parse(_ text: String, path: String) throws -> Theme {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw InputError(path, "line \(error.source.begin.line): \(error.description)")
        }
        let roles = Dictionary(uniqueKeysWithValues: TextRole.allCases.map { ($0.rawValue, $0) })
        for key in root.keys where key != "name" && key != "background" && roles[key] == nil {
            throw InputError(path, "unknown key '\(key)' (roles: \(TextRole.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let name = root["name"]?.string else { throw InputError(path, "missing key 'name' (a string)") }
        guard let backgroundText = root["background"]?.string else {
            throw InputError(path, "missing key 'background' (a colour like \"#1e1f29\")")
        }
        let background = try color(backgroundText, key: "background", path: path)
        var styles: [TextRole: TextStyle] = [:]
        for role in TextRole.allCases {
            guard let table = root[role.rawValue]?.table else {
                throw InputError(path, "missing key '\(role.rawValue)' (a table with at least fg)")
            }
            styles[role] = try style(table, role: role.rawValue, background: background, path: path)
        }
        return Theme(name: name, styles: styles)
    }

    static func style(_ table: TOMLTable, role: String, background: ThemeColor, path: String) throws -> TextStyle {
        let allowed: Set<String> = ["fg", "bg", "bold", "underline", "reverse"]
        for key in table.keys where !allowed.contains(key) {
            throw InputError(path, "unknown key '\(role).\(key)' (allowed: fg, bg, bold, underline, reverse)")
        }
        guard let fgText = table["fg"]?.string else { throw InputError(path, "missing key '\(role).fg'") }
        var style = TextStyle(foreground: try color(fgText, key: "\(role).fg", path: path), background: background)
        if let value = table["bg"] {
            guard let text = value.string else { throw InputError(path, "'\(role).bg' must be a string") }
            style.background = try color(text, key: "\(role).bg", path: path)
        }
        style.bold = try flag(table, "bold", role: role, path: path)
        style.underline = try flag(table, "underline", role: role, path: path)
        style.reverse = try flag(table, "reverse", role: role, path: path)
        return style
    }

    static func flag(_ table: TOMLTable, _ key: String, role: String, path: String) throws -> Bool {
        guard let value = table[key] else { return false }
        guard let bool = value.bool else { throw InputError(path, "'\(role).\(key)' must be true or false") }
        return bool
    }

    /// `#rrggbb` or `default`.
    public static func color(_ text: String, key: String, path: String) throws -> ThemeColor {
        if text == "default" { return .terminalDefault }
        let hex = Array(text.utf8)
        guard hex.count == 7, hex[0] == UInt8(ascii: "#"), let value = UInt32(String(text.dropFirst()), radix: 16) else {
            throw InputError(path, "'\(key)' = \"\(text)\" is not a colour (use \"#rrggbb\" or \"default\")")
        }
        return .rgb(RGB(UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)))
    }
}
