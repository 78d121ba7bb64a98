import Foundation
import XCTest
@testable import Explorer

/// The one key list: the key map, the help screen and the README's table all come from it.
final class KeyBindingTests: XCTestCase {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    func testReadmeKeyTableIsTheBindingList() throws {
        let readme = try String(contentsOf: Self.readme, encoding: .utf8)
        let table = KeyMap.bindings.markdownTable(heading: "explorer")
        XCTAssertTrue(readme.contains(table + "\n"),
                      "README's explorer key table differs from KeyMap.bindings; paste this under ## Keys:\n\(table)")
    }

    func testNoKeyIsBoundTwice() {
        var seen: [KeyInput: String] = [:]
        for binding in KeyMap.bindings {
            for (key, _) in binding.actions {
                XCTAssertNil(seen[key], "\(key) is bound by both '\(seen[key] ?? "")' and '\(binding.keys)'")
                seen[key] = binding.keys
            }
        }
        XCTAssertEqual(KeyMap.bindings.filter { $0.click != nil }.count, 1)
    }

    func testKeyMapReadsTheList() {
        XCTAssertEqual(KeyMap.command(for: .char("j")), .move(1))
        XCTAssertEqual(KeyMap.command(for: .wheelUp), .move(-1))
        XCTAssertEqual(KeyMap.command(for: .end), .bottom)
        XCTAssertEqual(KeyMap.command(for: .click(x: 3, y: 4)), .click(x: 3, y: 4))
        XCTAssertNil(KeyMap.command(for: .char("Z")))
    }

    /// Every word of every description is on the help screen at 80x24 (scrolling if need be), and
    /// nothing is written past the help box's right edge.
    func testHelpFitsEightyByTwentyFour() {
        let layout = ScreenLayout.compute(width: 80, height: 24, modelCount: 4, focusedPane: 0)
        var state = Fixtures.state(models: 4)
        let long = Array(repeating: "sadness", count: 40).joined(separator: " ")
        for m in 0..<4 { state.slots[SlotKey(item: 0, model: m)] = .done(Fixtures.outcome(long)) }
        _ = state.handle(.char("?"), layout: layout)
        XCTAssertEqual(state.mode, .help)
        var seen = ""
        let box = HelpScreen.box(layout)
        let context = ScreenContext(datasetName: "tiny", themeName: "dark", glyphs: .unicode, queue: (pending: 0, running: 0),
                                    actionUnitName: { _ in nil }, image: .loading)
        for _ in 0..<10 {
            let canvas = GridCanvas(width: 80, height: 24)
            XCTAssertNil(ScreenPainter.paint(state, layout: layout, context: context, on: canvas))
            for y in box.y..<box.maxY {
                let row = Array(canvas.lines[y])
                XCTAssertEqual((String(row[..<box.x]) + String(row[box.maxX...])).trimmingCharacters(in: .whitespaces), "",
                               "the screen below shows beside the help box on row \(y):\n\(canvas.screen)")
                seen += String(row[box.x..<box.maxX]) + "\n"
            }
            _ = state.handle(.char("j"), layout: layout)
            XCTAssertEqual(state.mode, .help, "j scrolls a help screen that does not fit")
        }
        let words = Set(seen.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
        for binding in KeyMap.bindings {
            for word in binding.description.replacingOccurrences(of: "`", with: "").split(separator: " ") {
                XCTAssertTrue(words.contains(String(word)), "'\(word)' of '\(binding.description)' not whole on the help screen")
            }
        }
        _ = state.handle(.char("x"), layout: layout)
        XCTAssertEqual(state.mode, .normal, "any other key closes")
    }

    func testStatusBarHintsComeFromTheList() {
        XCTAssertEqual(BarsView.hintText(themeName: "dark"),
                       "j/k move  Tab pane  / search  f filter  r regen  t theme(dark)  ? help  q quit ")
    }
}
