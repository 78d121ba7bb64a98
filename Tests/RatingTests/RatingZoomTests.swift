import Faces
import TerminalTesting
import XCTest
@testable import Rating
@testable import TerminalUI

/// `z` in the rating screen: the face alone at the largest size the screen allows.
final class RatingZoomTests: XCTestCase {
    func testRatingZoomShowsTheFaceAloneUntilAnyKey() throws {
        let backend = try TestRatingBackend(faces: 3, models: 2)
        let flow = try RatingFlow(backend: backend)
        _ = flow.handle(.enter)
        _ = flow.handle(.char("z"))
        guard case let .rating(_, form) = flow.screen else { return XCTFail("not rating") }
        XCTAssertEqual(form.mode, .zoomed)
        let layout = RatingLayout.compute(width: 100, height: 30)
        let box = RatingPainter.zoomBox(layout)
        let image = FaceRenderer.render(RGBImage(width: 8, height: 8, pixels: Array(repeating: 90, count: 192)),
                                        boxColumns: box.width, boxRows: box.height, mode: .trueColor)!
        let canvas = GridCanvas(width: 100, height: 30)
        let placement = RatingPainter.paint(flow, layout: layout, image: .ready(image), glyphs: .unicode, on: canvas)
        XCTAssertNotNil(placement)
        XCTAssertGreaterThan(image.rows, layout.face.height / 2)
        XCTAssertFalse(canvas.screen.contains("correctness"), "only the face while zoomed:\n\(canvas.screen)")
        _ = flow.handle(.char("7"))
        guard case let .rating(_, after) = flow.screen else { return XCTFail("not rating") }
        XCTAssertEqual(after.mode, .editing)
        XCTAssertNil(after.values[0][0], "the key that leaves the zoom does not score")
    }
}
