import Faces
import XCTest
@testable import Explorer
@testable import TerminalUI
import TerminalTesting

final class ImageRenderingTests: XCTestCase {
    /// Top half red, bottom half blue.
    func splitImage(width: Int, height: Int) -> RGBImage {
        var px: [UInt8] = []
        for y in 0..<height { for _ in 0..<width { px += y < height / 2 ? [255, 0, 0] : [0, 0, 255] } }
        return RGBImage(width: width, height: height, pixels: px)
    }

    func testAreaAverageOfUniformBlocksIsExact() {
        let grid = AreaDownscale.resize(splitImage(width: 8, height: 8), width: 2, height: 2)
        XCTAssertEqual(grid[0, 0], RGB(255, 0, 0))
        XCTAssertEqual(grid[1, 1], RGB(0, 0, 255))
    }

    func testAreaAverageMixesStraddlingPixels() {
        // 3 rows -> 2: the middle source row is split half/half between the outputs.
        let img = RGBImage(width: 1, height: 3, pixels: [0, 0, 0, 90, 90, 90, 180, 180, 180])
        let grid = AreaDownscale.resize(img, width: 1, height: 2)
        // rows cover [0,1.5) and [1.5,3): (0*1 + 90*0.5)/1.5 = 30, (90*0.5 + 180)/1.5 = 150
        XCTAssertEqual(grid[0, 0], RGB(30, 30, 30))
        XCTAssertEqual(grid[0, 1], RGB(150, 150, 150))
    }

    func testFitKeepsAspectAndCentres() {
        let fit = ImageFit(imageWidth: 224, imageHeight: 224, boxColumns: 40, boxRows: 12)!
        // Height-limited: 24 pixel rows -> 24 pixels wide, 12 cell rows, centred horizontally.
        XCTAssertEqual(fit.pixelWidth, 24)
        XCTAssertEqual(fit.pixelHeight, 24)
        XCTAssertEqual(fit.rows, 12)
        XCTAssertEqual(fit.offsetX, 8)
        XCTAssertNil(ImageFit(imageWidth: 0, imageHeight: 5, boxColumns: 10, boxRows: 10))
    }

    func testHalfBlocksCarryUpperAndLowerPixels() {
        let image = HalfBlockRenderer.render(splitImage(width: 4, height: 4), boxColumns: 4, boxRows: 2, mode: .trueColor)!
        XCTAssertEqual(image.rows, 2)
        XCTAssertEqual(image[0, 0].glyph, "▀")
        XCTAssertEqual(image[0, 0].foreground, RGB(255, 0, 0))
        XCTAssertEqual(image[0, 0].background, RGB(255, 0, 0))
        XCTAssertEqual(image[0, 1].foreground, RGB(0, 0, 255))
        let escapes = ImageEscapes.encode(image, column: 10, row: 5)
        XCTAssertTrue(escapes.hasPrefix("\u{1b}7\u{1b}[6;11H"), "saves the cursor, then moves 1-based")
        XCTAssertTrue(escapes.contains("38;2;255;0;0"))
        XCTAssertTrue(escapes.contains("48;2;0;0;255"))
        XCTAssertTrue(escapes.hasSuffix("\u{1b}[0m\u{1b}8"), "resets attributes and restores the cursor")
        // One SGR per colour change, not per cell: the red row has 4 cells but one colour setting.
        XCTAssertEqual(escapes.components(separatedBy: "38;2;255;0;0").count - 1, 1)
    }

    func testPaletteAndGreyModesUseTheirCodes() {
        let src = splitImage(width: 2, height: 2)
        let p = ImageEscapes.encode(HalfBlockRenderer.render(src, boxColumns: 2, boxRows: 1, mode: .palette256)!, column: 0, row: 0)
        XCTAssertTrue(p.contains("38;5;196"), p.debugDescription)
        XCTAssertTrue(p.contains("48;5;21"), p.debugDescription)
        let g = ImageEscapes.encode(HalfBlockRenderer.render(src, boxColumns: 2, boxRows: 1, mode: .grey16)!, column: 0, row: 0)
        XCTAssertFalse(g.contains("38;5"))
        XCTAssertTrue(g.contains("[90") || g.contains(";90") || g.contains("[30") || g.contains(";30"))
    }

    func testAsciiRampFollowsBrightness() {
        var px: [UInt8] = []
        for x in 0..<10 { let v = UInt8(x * 28); px += [v, v, v] }
        let image = HalfBlockRenderer.render(RGBImage(width: 10, height: 1, pixels: px), boxColumns: 10, boxRows: 1, mode: .ascii)!
        let glyphs = (0..<image.columns).map { image[$0, 0].glyph }
        XCTAssertEqual(glyphs.first, " ")
        XCTAssertEqual(glyphs.last, "@")
        let ranks = glyphs.map { HalfBlockRenderer.asciiRamp.firstIndex(of: $0)! }
        XCTAssertEqual(ranks, ranks.sorted(), "brighter pixels never get lighter glyphs")
    }

    func testModeDetection() {
        XCTAssertEqual(ImageMode.detect(environment: ["COLORTERM": "truecolor"], colors: 256, utf8: true), .trueColor)
        XCTAssertEqual(ImageMode.detect(environment: ["COLORTERM": "24bit"], colors: 8, utf8: true), .trueColor)
        XCTAssertEqual(ImageMode.detect(environment: [:], colors: 256, utf8: true), .palette256)
        XCTAssertEqual(ImageMode.detect(environment: [:], colors: 16, utf8: true), .grey16)
        XCTAssertEqual(ImageMode.detect(environment: [:], colors: 8, utf8: true), .ascii)
        XCTAssertEqual(ImageMode.detect(environment: ["COLORTERM": "truecolor"], colors: 256, utf8: false), .ascii)
    }
}
