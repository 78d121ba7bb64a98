import Faces
import Foundation
import XCTest
@testable import Explorer
import TerminalTesting
@testable import TerminalUI

/// Pixel protocols' geometry and the 256-colour path's perceptual matching and dithering.
final class PixelEncodingTests: XCTestCase {
    static let sampleFaces = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleFaces")

    func face(_ n: Int) throws -> RGBImage {
        try PNGDecoder.decode(contentsOf: Self.sampleFaces.appendingPathComponent(String(format: "face_%02d.png", n)),
                              alpha: .compositeOntoWhite)
    }

    func testPixelFitUsesTheCellsPixelsAndWholeSixelBands() {
        let fit = PixelFit(imageWidth: 224, imageHeight: 224, boxColumns: 40, boxRows: 12, cell: CellSize(width: 8, height: 17))!
        // Box 320x204 px: height-limited, 204x204, 26 columns (25.5 rounded up) centred in 40.
        XCTAssertEqual([fit.pixelWidth, fit.pixelHeight, fit.columns, fit.rows, fit.offsetX], [204, 204, 26, 12, 7])
        let sixel = PixelFit(imageWidth: 224, imageHeight: 224, boxColumns: 40, boxRows: 12, cell: CellSize(width: 8, height: 17),
                             sixBandHeight: true)!
        XCTAssertEqual(sixel.pixelHeight, 204, "204 is already a multiple of 6")
        let odd = PixelFit(imageWidth: 100, imageHeight: 100, boxColumns: 20, boxRows: 5, cell: CellSize(width: 10, height: 19),
                           sixBandHeight: true)!
        XCTAssertEqual(odd.pixelHeight, 90, "95 rounds down to whole bands so the image never spills into the next row")
        XCTAssertLessThanOrEqual(odd.rows, 5)
    }

    func testExplorerFaceIsEncodedOnceAndDeletedByItsID() throws {
        let image = try face(1)
        let a = PixelImageRenderer.render(image, boxColumns: 30, boxRows: 15, mode: .kitty, cell: CellSize(width: 8, height: 16))!
        let text = String(decoding: a.graphic!.bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1b}_Ga=T,f=100,q=2,i=\(PixelImageRenderer.explorerImageID),p=1,C=1,m=1;"), String(text.prefix(60)))
        XCTAssertTrue(text.hasSuffix("\u{1b}\\"))
        XCTAssertEqual(a.cells.count, 0)
        var cache = RenderCache<RenderKey>(capacity: 2)
        var renders = 0
        let key = RenderKey(face: "1", columns: 30, rows: 15, mode: .kitty)
        for _ in 0..<3 { _ = cache.image(for: key) { renders += 1; return a } }
        XCTAssertEqual(renders, 1, "a face is encoded once per size and mode")
        let escapes = String(decoding: ImageEscapes.bytes(a, column: 4, row: 2), as: UTF8.self)
        XCTAssertTrue(escapes.hasPrefix("\u{1b}7\u{1b}[3;5H\u{1b}_G"))
        XCTAssertTrue(escapes.hasSuffix("\u{1b}8"))
    }

    /// The pruned search (27 cube neighbours + 5 greys) finds the same distance as all 240 entries.
    func testPerceptualNearestMatchesBruteForce() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let c = RGB(UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
                        UInt8.random(in: 0...255, using: &generator))
            let lab = OKLab(c)
            let best = (16...255).map { OKLab(Palette256.color(ofIndex: $0)).distance(to: lab) }.min()!
            XCTAssertEqual(OKLab(Palette256.color(ofIndex: Palette256.perceptualIndex(to: c))).distance(to: lab), best,
                           accuracy: 1e-9, "colour \(c)")
        }
        for index in [16, 21, 46, 196, 231, 232, 244, 255] { XCTAssertEqual(Palette256.perceptualIndex(to: Palette256.color(ofIndex: index)), index) }
    }

    /// On real faces: OKLab matching is closer than RGB matching pixel by pixel, and dithering brings
    /// the colour seen from a little distance (3x3 mean) far closer still.
    func testDitheredPaletteIsCloserToTruecolorThanRGBNearest() throws {
        var before = ColourError.Figures(perPixel: 0, blurred: 0), nearest = before, now = before
        for n in [1, 8, 23] {
            let grid = ColourError.truecolorGrid(try face(n), boxColumns: 48, boxRows: 24)!
            let b = ColourError.measure(reference: grid, shown: ColourError.shown(grid, path: .rgbNearest))
            let p = ColourError.measure(reference: grid, shown: ColourError.shown(grid, path: .perceptualNearest))
            let d = ColourError.measure(reference: grid, shown: ColourError.shown(grid, path: .perceptualDithered))
            before.perPixel += b.perPixel; before.blurred += b.blurred
            nearest.perPixel += p.perPixel; now.blurred += d.blurred
        }
        XCTAssertLessThan(nearest.perPixel, before.perPixel)
        XCTAssertLessThan(now.blurred, 0.6 * before.blurred, "dithered \(now.blurred) vs RGB-nearest \(before.blurred)")
    }
}
