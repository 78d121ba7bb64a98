import Faces
import XCTest
@testable import Explorer
import TerminalTesting
@testable import TerminalUI

/// `z`: the face alone at the largest size the screen allows, in the explorer and the rating screen.
final class ZoomTests: XCTestCase {
    func testExplorerZoomKeepsMovingAndReturns() {
        let layout = ScreenLayout.compute(width: 100, height: 30, modelCount: 2, focusedPane: 0)
        var state = Fixtures.state()
        _ = state.handle(.char("z"), layout: layout)
        XCTAssertEqual(state.mode, .zoom)
        _ = state.handle(.char("j"), layout: layout)
        XCTAssertEqual(state.mode, .zoom, "moving keeps the zoom")
        XCTAssertEqual(state.cursor, 1)
        _ = state.handle(.char("f"), layout: layout)
        XCTAssertEqual(state.mode, .zoom, "keys that open dialogs do nothing while zoomed")
        _ = state.handle(.escape, layout: layout)
        XCTAssertEqual(state.mode, .normal)
        _ = state.handle(.char("z"), layout: layout)
        XCTAssertEqual(state.handle(.char("q"), layout: layout), [.quit])
    }

    func testZoomedFaceIsFarLargerAndTheTruthBesideIt() {
        let layout = ScreenLayout.compute(width: 100, height: 30, modelCount: 2, focusedPane: 0)
        var state = Fixtures.state()
        let face = RGBImage(width: 224, height: 224, pixels: Array(repeating: 120, count: 224 * 224 * 3))
        func placement(zoomed: Bool) -> (ImagePlacement?, GridCanvas) {
            let box = zoomed ? ZoomView.faceBox(width: 100, height: 30) : layout.image
            let image = FaceRenderer.render(face, boxColumns: box.width, boxRows: box.height, mode: .trueColor)!
            let context = ScreenContext(datasetName: "tiny", themeName: "dark", glyphs: .unicode, queue: (0, 0),
                                        actionUnitName: { _ in "brow lowerer" }, image: .ready(image))
            let canvas = GridCanvas(width: 100, height: 30)
            return (ScreenPainter.paint(state, layout: layout, context: context, on: canvas), canvas)
        }
        let normal = placement(zoomed: false).0!
        _ = state.handle(.char("z"), layout: layout)
        let (zoomedPlacement, canvas) = placement(zoomed: true)
        let zoomed = zoomedPlacement!
        XCTAssertGreaterThanOrEqual(zoomed.image.columns * zoomed.image.rows, 3 * normal.image.columns * normal.image.rows,
                                    "zoomed \(zoomed.image.columns)x\(zoomed.image.rows), pane \(normal.image.columns)x\(normal.image.rows)")
        XCTAssertTrue(canvas.screen.contains("zoom"), canvas.screen)
        XCTAssertTrue(canvas.screen.contains(state.items[state.selectedItem!].id), "the face's name and truth beside it")
        XCTAssertLessThan(zoomed.column + zoomed.image.columns, 100 - ZoomView.truthWidth(screenWidth: 100))
    }
}
