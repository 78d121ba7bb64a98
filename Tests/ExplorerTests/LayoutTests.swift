import Faces
import XCTest
@testable import Explorer
@testable import TerminalUI
import TerminalTesting

final class LayoutTests: XCTestCase {
    func testRegionsStayOnScreenAndNeverOverlap() {
        for width in stride(from: 80, through: 260, by: 7) {
            for height in stride(from: 24, through: 80, by: 5) {
                for models in 0...4 {
                    for focus in 0..<max(1, models) {
                        let l = ScreenLayout.compute(width: width, height: height, modelCount: models, focusedPane: focus)
                        XCTAssertFalse(l.tooSmall)
                        let regions = [l.header, l.list, l.image, l.truth, l.status] + l.panes
                        let context = "\(width)x\(height) models \(models)"
                        for r in regions {
                            XCTAssertTrue(r.x >= 0 && r.y >= 0 && r.maxX <= width && r.maxY <= height, "\(r) off screen at \(context)")
                        }
                        for i in regions.indices { for j in regions.indices where i < j {
                            XCTAssertFalse(regions[i].intersects(regions[j]), "\(regions[i]) overlaps \(regions[j]) at \(context)")
                        } }
                        XCTAssertEqual(l.panes.count, max(1, models))
                        XCTAssertTrue(l.panes.allSatisfy { $0.height >= 2 && $0.width >= 20 }, context)
                    }
                }
            }
        }
    }

    func testFaceIsLargeEnoughAt80x24() {
        let l = ScreenLayout.compute(width: 80, height: 24, modelCount: 4, focusedPane: 0)
        let fit = ImageFit(imageWidth: 224, imageHeight: 224, boxColumns: l.image.width, boxRows: l.image.height)!
        // About 26x26 pixels: enough to see brows, eyes and mouth shape.
        XCTAssertGreaterThanOrEqual(fit.pixelWidth, 24)
        XCTAssertGreaterThanOrEqual(fit.pixelHeight, 24)
        XCTAssertFalse(l.sideBySide, "80 columns stack the panes")
        XCTAssertTrue(ScreenLayout.compute(width: 200, height: 50, modelCount: 4, focusedPane: 0).sideBySide)
    }

    func testBelow80x24IsTooSmall() {
        XCTAssertTrue(ScreenLayout.compute(width: 79, height: 24, modelCount: 4, focusedPane: 0).tooSmall)
        XCTAssertTrue(ScreenLayout.compute(width: 120, height: 23, modelCount: 4, focusedPane: 0).tooSmall)
        XCTAssertNil(ScreenLayout.compute(width: 60, height: 20, modelCount: 4, focusedPane: 0).hit(x: 1, y: 2))
    }

    func testFocusedStackedPaneGetsTheSpareRows() {
        let heights = ScreenLayout.stackedHeights(total: 10, count: 4, focused: 2)
        XCTAssertEqual(heights, [2, 2, 4, 2])
        XCTAssertEqual(ScreenLayout.stackedHeights(total: 22, count: 4, focused: 1), [5, 7, 5, 5])
    }

    func testHitTesting() {
        let l = ScreenLayout.compute(width: 100, height: 30, modelCount: 4, focusedPane: 0)
        XCTAssertEqual(l.hit(x: 2, y: l.list.y + 3), .listRow(3))
        XCTAssertEqual(l.hit(x: l.panes[2].x + 1, y: l.panes[2].y), .pane(2))
        XCTAssertNil(l.hit(x: l.image.x + 1, y: l.image.y + 1))
    }
}

/// Issue 14, item 11: "sadness a…" at 160 columns, with room to spare in the list.
final class FaceListLabelTests: XCTestCase {
    func testLabelsAreWholeWhenTheListHasRoom() {
        let items = [FaceItem(id: "set/face_06.png", source: .inlineGrey(width: 1, height: 1, pixels: [0]),
                              labels: FaceLabels(emotion: "sadness and anger")),
                     FaceItem(id: "set/a_rather_long_file_name_for_a_face.png", source: .inlineGrey(width: 1, height: 1, pixels: [0]),
                              labels: FaceLabels(emotion: "happiness and surprise"))]
        let state = ExplorerState(items: items, models: [.loaded(ScriptedCaptioner(name: "M"))])
        for (w, h) in [(160, 45), (200, 50)] {
            let layout = ScreenLayout.compute(width: w, height: h, modelCount: 1, focusedPane: 0)
            let canvas = GridCanvas(width: w, height: h)
            FaceListView.paint(state, rect: layout.list, glyphs: .unicode, on: canvas)
            XCTAssertTrue(canvas.lines[1].contains("face_06.png") && canvas.lines[1].contains(" sadness and anger"),
                          "\(w)x\(h): \(canvas.lines[1])")
            XCTAssertTrue(canvas.lines[2].contains("happiness and surprise"), "the label stays whole, the name is cut: \(canvas.lines[2])")
        }
        // At 80 columns something must give; each keeps a readable part.
        let narrow = FaceListView.widths(name: 11, label: 17, available: 20)
        XCTAssertEqual([narrow.name, narrow.label], [9, 10])
        let fits = FaceListView.widths(name: 11, label: 9, available: 20)
        XCTAssertEqual([fits.name, fits.label], [10, 9])
    }
}
