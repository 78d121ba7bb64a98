import Faces
import XCTest
@testable import Explorer

/// Clip playback goes through the same face renderings as stills (issue 16's kitty/iTerm2/sixel
/// placements and half blocks): each frame is rendered under its own key, so a frame change hands the
/// terminal painter a different image (a new pixel serial, or other cells) to replace the placed
/// one with, while frame 0 shares the still's key and so the prefetched rendering.
final class ClipFramePlacementTests: XCTestCase {
    func shade(_ v: UInt8) -> RGBImage {
        RGBImage(width: 8, height: 8, pixels: (0..<64).flatMap { i in [v, UInt8(i * 3), 255 - v] })
    }

    func graphics(_ mode: ImageMode) -> TerminalGraphics {
        TerminalGraphics(detection: ImageModeDetection(mode: mode, reason: "test"), cell: .fallback, cellReason: "test",
                         sixelRegisters: 256)
    }

    func render(_ face: RenderedFace<ShownFace>, _ shown: ShownFace, _ mode: ImageMode, _ image: RGBImage) -> TerminalImage? {
        guard case let .ready(rendered) = face.image(id: shown, box: Rect(x: 0, y: 0, width: 16, height: 8), graphics: graphics(mode),
                                                    failure: { "\($0)" }, load: { .success(image) }) else { return nil }
        return rendered
    }

    func testFrameKeys() {
        XCTAssertEqual(ShownFace(item: 3, frame: 0).description, "3", "frame 0 is the face the prefetcher renders")
        XCTAssertNotEqual(ShownFace(item: 3, frame: 1).description, ShownFace(item: 3, frame: 0).description)
        XCTAssertNotEqual(ShownFace(item: 3, frame: 1).description, ShownFace(item: 31, frame: 0).description)
    }

    func testAPixelFrameChangeIsANewImageAndAReturnReusesTheFrameRendering() throws {
        for mode in [ImageMode.kitty, .sixel, .iterm2] {
            let face = RenderedFace<ShownFace>()
            let first = try XCTUnwrap(render(face, ShownFace(item: 0, frame: 0), mode, shade(10)))
            let second = try XCTUnwrap(render(face, ShownFace(item: 0, frame: 1), mode, shade(200)))
            XCTAssertNotEqual(first.graphic?.serial, second.graphic?.serial, "\(mode): the painter must replace the placed frame")
            XCTAssertNotEqual(first.graphic?.bytes, second.graphic?.bytes, "\(mode)")
            // Looping back: the cached rendering of frame 0, not the last frame shown.
            let again = try XCTUnwrap(render(face, ShownFace(item: 0, frame: 0), mode, shade(99)))
            XCTAssertEqual(again.graphic?.serial, first.graphic?.serial, "\(mode)")
        }
    }

    func testAHalfBlockFrameChangeRepaintsOtherCells() throws {
        let face = RenderedFace<ShownFace>()
        let first = try XCTUnwrap(render(face, ShownFace(item: 0, frame: 0), .trueColor, shade(10)))
        let second = try XCTUnwrap(render(face, ShownFace(item: 0, frame: 1), .trueColor, shade(200)))
        XCTAssertNil(second.graphic)
        XCTAssertNotEqual(first.cells, second.cells)
    }
}
