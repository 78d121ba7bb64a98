/// Theme names as users type them. Each theme has one name, its file's (`Themes/<name>.toml`), shown
/// everywhere; the spellings people reach for first are accepted as aliases of it.
enum ThemeName {
    static let aliases = [
        "colorblind": "colour-blind-safe", "colourblind": "colour-blind-safe",
        "color-blind": "colour-blind-safe", "colour-blind": "colour-blind-safe",
        "color-blind-safe": "colour-blind-safe",
    ]

    static let help = "Colour theme from Themes/: dark, light, high-contrast or colour-blind-safe (alias colorblind)."

    /// The theme's one name for `typed`, or `typed` itself when it is not an alias (the theme loader
    /// reports unknown names with the list of themes).
    static func canonical(_ typed: String?) -> String? {
        typed.map { aliases[$0.lowercased()] ?? $0 }
    }
}
