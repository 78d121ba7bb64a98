import Foundation
import Tensor

/// The themes `t` cycles through: every `*.toml` in the themes folder, "dark" first, then by name.
public struct ThemeSet: Sendable {
    public var themes: [Theme]

    public init(themes: [Theme]) {
        precondition(!themes.isEmpty, "a theme set needs a theme")
        self.themes = themes
    }

    /// The compiled-in dark theme alone.
    public static var builtin: ThemeSet { ThemeSet(themes: [BuiltinTheme.dark]) }

    /// Loads a folder of theme files; a missing folder gives the built-in theme, a bad file throws.
    public static func load(directory: URL?) throws -> ThemeSet {
        guard let directory, FileManager.default.fileExists(atPath: directory.path) else { return .builtin }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".toml") }.sorted()
        var themes: [Theme] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw InputError(url.path, "cannot read theme file as UTF-8 text")
            }
            themes.append(try ThemeParser.parse(text, path: url.path))
        }
        if themes.isEmpty { return .builtin }
        themes.sort { a, b in
            (a.name == "dark") != (b.name == "dark") ? a.name == "dark" : a.name < b.name
        }
        return ThemeSet(themes: themes)
    }

    /// Index of a theme by name (`--theme`); throws an `InputError` listing the available names.
    public func index(named name: String) throws -> Int {
        if let i = themes.firstIndex(where: { $0.name == name }) { return i }
        throw InputError("--theme", "no theme named '\(name)' (available: \(themes.map(\.name).joined(separator: ", ")))")
    }
}
