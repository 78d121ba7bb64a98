import Foundation
import Tensor
import XCTest
@testable import Explorer
@testable import TerminalUI
import TerminalTesting

final class ThemeTests: XCTestCase {
    static let themesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Themes")

    func testShippedThemesLoadDarkFirst() throws {
        let set = try ThemeSet.load(directory: Self.themesDir)
        let names = set.themes.map(\.name)
        XCTAssertEqual(names.first, "dark")
        for required in ["light", "high-contrast", "colour-blind-safe"] { XCTAssertTrue(names.contains(required), required) }
        XCTAssertEqual(try set.index(named: "light"), names.firstIndex(of: "light"))
        XCTAssertThrowsError(try set.index(named: "neon")) { error in
            XCTAssertTrue("\(error)".contains("no theme named 'neon'"), "\(error)")
        }
    }

    func testBuiltinThemeMirrorsDarkFile() throws {
        let text = try String(contentsOf: Self.themesDir.appendingPathComponent("dark.toml"), encoding: .utf8)
        XCTAssertEqual(try ThemeParser.parse(text, path: "dark.toml"), BuiltinTheme.dark)
    }

    func testFigureSixColoursEmotionRedActionBlue() {
        guard case let .rgb(emotion) = BuiltinTheme.dark[.emotion].foreground,
              case let .rgb(action) = BuiltinTheme.dark[.action].foreground else { return XCTFail("rgb expected") }
        XCTAssertGreaterThan(emotion.r, emotion.b)
        XCTAssertGreaterThan(action.b, action.r)
    }

    func error(parsing text: String) -> String {
        do {
            _ = try ThemeParser.parse(text, path: "bad.toml")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func darkText(replacing old: String, with new: String) -> String {
        BuiltinTheme.darkTOML.replacingOccurrences(of: old, with: new)
    }

    func testBadColourNamesTheKey() {
        let message = error(parsing: darkText(replacing: "fg = \"#ff6b6b\"\nbold = true\n[action]", with: "fg = \"#ff6b6\"\nbold = true\n[action]"))
        XCTAssertTrue(message.hasPrefix("bad.toml: 'emotion.fg'"), message)
    }

    func testUnknownAndMissingKeysAreNamed() {
        XCTAssertTrue(error(parsing: darkText(replacing: "[muted]", with: "[mutted]")).contains("unknown key 'mutted'"))
        XCTAssertTrue(error(parsing: darkText(replacing: "[cache]\nfg", with: "[cache]\ncolour")).contains("unknown key 'cache.colour'"))
        let missing = BuiltinTheme.darkTOML.replacingOccurrences(of: "[dialog]\nfg = \"#d8dae5\"\nbg = \"#2b2e3b\"", with: "")
        XCTAssertTrue(error(parsing: missing).contains("missing key 'dialog'"), error(parsing: missing))
        XCTAssertTrue(error(parsing: darkText(replacing: "bold = true", with: "bold = 1")).contains("must be true or false"))
    }

    func testSyntaxErrorIsAnInputErrorWithLine() {
        let message = error(parsing: "name = \"x\"\n[text\nfg = 1")
        XCTAssertTrue(message.hasPrefix("bad.toml: line 2"), message)
    }

    func testMissingFolderFallsBackToBuiltin() throws {
        let set = try ThemeSet.load(directory: URL(fileURLWithPath: "/nonexistent/themes"))
        XCTAssertEqual(set.themes, [BuiltinTheme.dark])
    }
}
