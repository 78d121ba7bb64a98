import XCTest
@testable import Faces

final class OcclusionTests: XCTestCase {
    let image = RGBImage(width: 4, height: 4, pixels: [UInt8](repeating: 200, count: 48))

    func grey(_ img: RGBImage) -> [[Bool]] {
        (0..<img.height).map { y in (0..<img.width).map { x in img.pixels[3 * (y * img.width + x)] == Occlusion.grey } }
    }

    func testNamedRegionsCoverTheirPart() throws {
        XCTAssertEqual(grey(Occlusion.apply(.left, to: image)), Array(repeating: [true, true, false, false], count: 4))
        XCTAssertEqual(grey(Occlusion.apply(.right, to: image)), Array(repeating: [false, false, true, true], count: 4))
        // upper = top 55%: rows 0-1 of 4 (2.2 rounds to 2); lower = the rest.
        XCTAssertEqual(grey(Occlusion.apply(.upper, to: image)).map { $0[0] }, [true, true, false, false])
        XCTAssertEqual(grey(Occlusion.apply(.lower, to: image)).map { $0[0] }, [false, false, true, true])
    }

    func testBoxParsingAndCoverage() throws {
        let region = try OcclusionRegion(parsing: "0.25, 0.5,0.5,0.25")
        XCTAssertEqual(region, .box(x: 0.25, y: 0.5, width: 0.5, height: 0.25))
        XCTAssertEqual(grey(Occlusion.apply(region, to: image)),
                       [[false, false, false, false], [false, false, false, false], [false, true, true, false], [false, false, false, false]])
        XCTAssertEqual(try OcclusionRegion(parsing: "UPPER"), .upper)
        for bad in ["", "middle", "0,0,0,1", "0.5,0,0.6,1", "a,b,c,d", "0,0,1"] {
            XCTAssertThrowsError(try OcclusionRegion(parsing: bad), bad)
        }
    }

    func testPixelHashFollowsThePixels() {
        let hidden = Occlusion.apply(.upper, to: image)
        XCTAssertNotEqual(hidden.pixelHash, image.pixelHash)
        XCTAssertEqual(hidden.pixelHash, Occlusion.apply(.upper, to: image).pixelHash)
    }
}
