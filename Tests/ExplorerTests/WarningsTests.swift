import Faces
import XCTest
@testable import Explorer
@testable import TerminalUI
import TerminalTesting

/// Issue 14, item 10: dataset warnings reached `caption --dataset`'s terminal but never the
/// explorer, and an unreadable image had no mark in the list.
final class WarningsTests: XCTestCase {
    func paint(_ s: ExplorerState) -> GridCanvas {
        let layout = ScreenLayout.compute(width: 80, height: 24, modelCount: 2, focusedPane: 0)
        let canvas = GridCanvas(width: 80, height: 24)
        _ = ScreenPainter.paint(s, layout: layout, context: ScreenContext(datasetName: "d", themeName: "t", glyphs: .unicode,
            queue: (pending: 0, running: 0), actionUnitName: { _ in nil }, image: .loading), on: canvas)
        return canvas
    }

    func testWarningsAndUnreadableFacesAreMarkedAndListed() {
        var s = Fixtures.state(models: 2)
        s.datasetWarnings = ["set: 2 files skipped (not PNG): notes.txt, face.jpg"]
        _ = s.apply(.imageFailed(2, "set/anger_2.png: not a PNG file (bad signature)"))
        let canvas = paint(s)
        XCTAssertTrue(canvas.lines[3].hasPrefix("✗"), "the unreadable face is marked:\n\(canvas.screen)")
        XCTAssertEqual(canvas.roles[3][0], .error)
        XCTAssertTrue(canvas.lines[23].contains("2 warnings (w)"), canvas.lines[23])
        let layout = ScreenLayout.compute(width: 80, height: 24, modelCount: 2, focusedPane: 0)
        _ = s.handle(.char("w"), layout: layout)
        XCTAssertEqual(s.mode, .warnings)
        let shown = paint(s).screen
        XCTAssertTrue(shown.contains("Dataset warnings: 2"), shown)
        XCTAssertTrue(shown.contains("files skipped (not PNG)"), shown)
        XCTAssertTrue(shown.contains("set/anger_2.png: not a PNG file"), shown)
        _ = s.handle(.char("x"), layout: layout)
        XCTAssertEqual(s.mode, .normal)
    }

    func testImageStoreReportsAFaceThatCannotBeRead() {
        struct Broken: Error, CustomStringConvertible { var description: String { "broken.png: truncated" } }
        let inbox = EventInbox()
        let dataset = ExplorerDataset(name: "d", items: Fixtures.items()) { _ in throw Broken() }
        let store = ImageStore(dataset: dataset, inbox: inbox)
        _ = store.image(1)
        let failed = inbox.drain().compactMap { event -> String? in
            if case let .imageFailed(1, message) = event { return message }
            return nil
        }
        XCTAssertEqual(failed, ["broken.png: truncated"])
    }
}
