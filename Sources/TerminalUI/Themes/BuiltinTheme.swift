/// The dark theme, compiled in so the explorer still has colours when no `Themes/` folder is found.
/// Kept identical to Themes/dark.toml (a test compares them).
enum BuiltinTheme {
    static let darkTOML = #"""
# Default theme. Emotion words red and facial actions blue, as in the Exp-BLIP paper's figure 6.
name = "dark"
background = "#1b1d26"

[text]
fg = "#d8dae5"
[muted]
fg = "#7c8091"
[header]
fg = "#1b1d26"
bg = "#8aa9ff"
bold = true
[status]
fg = "#d8dae5"
bg = "#2b2e3b"
[border]
fg = "#4a4e60"
[selection]
fg = "#ffffff"
bg = "#3d4a7a"
bold = true
[pane_title]
fg = "#aab0c4"
bold = true
[pane_title_focused]
fg = "#1b1d26"
bg = "#e5c07b"
bold = true
[emotion]
fg = "#ff6b6b"
bold = true
[action]
fg = "#6cb6ff"
[disagree]
fg = "#1b1d26"
bg = "#ff6b6b"
bold = true
[mark_captioned]
fg = "#98c379"
[mark_rated]
fg = "#e5c07b"
[mark_disagree]
fg = "#ff6b6b"
bold = true
[progress]
fg = "#56b6c2"
[error]
fg = "#ff5f5f"
bold = true
[cache]
fg = "#98c379"
[search_match]
fg = "#1b1d26"
bg = "#e5c07b"
[dialog]
fg = "#d8dae5"
bg = "#2b2e3b"
[unsure]
fg = "#e5c07b"
underline = true
[very_unsure]
fg = "#1b1d26"
bg = "#e5c07b"
[changed]
fg = "#1b1d26"
bg = "#c678dd"
bold = true
[heat]
fg = "#ff5a1f"
"""#

    static let dark: Theme = try! ThemeParser.parse(darkTOML, path: "<built-in dark theme>")
}
