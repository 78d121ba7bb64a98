import Faces
import Foundation
import Tensor
import XCTest

final class PNGDecoderTests: XCTestCase {
    private func manifest() throws -> [String: [String: Any]] {
        try XCTUnwrap(ImageFixtures.json("decode/manifest.json") as? [String: [String: Any]])
    }

    func testEveryColourTypeAndDepthMatchesPIL() throws {
        let entries = try manifest()
        // grey 1/2/4/8/16, grey+alpha 8/16, palette 1/2/4/8 with and without tRNS, RGB(A) 8/16,
        // tRNS on grey and RGB, Adam7 variants: an emptied manifest must not pass silently.
        XCTAssertGreaterThanOrEqual(entries.count, 28)
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            let width = try XCTUnwrap(entry["width"] as? Int), height = try XCTUnwrap(entry["height"] as? Int)
            let expected = try ImageFixtures.bytes("decode/\(name).rgb")
            let url = ImageFixtures.url("decode/\(name).png")

            let fromFile = try PNGDecoder.decode(contentsOf: url)
            XCTAssertEqual(fromFile.width, width, name)
            XCTAssertEqual(fromFile.height, height, name)
            XCTAssertNil(firstDifference(fromFile.pixels, expected, width: width), name)

            let fromMemory = try PNGDecoder.decode(data: Data(contentsOf: url), name: name)
            XCTAssertEqual(fromMemory, fromFile, name)
        }
    }

    func testCompositeOntoWhiteMatchesTransformersConvertToRGB() throws {
        var withAlpha = 0
        for (name, entry) in try manifest() {
            let url = ImageFixtures.url("decode/\(name).png")
            let composited = try PNGDecoder.decode(contentsOf: url, alpha: .compositeOntoWhite)
            if entry["white"] as? Bool == true {
                withAlpha += 1
                let expected = try ImageFixtures.bytes("decode/\(name).white.rgb")
                XCTAssertNil(firstDifference(composited.pixels, expected, width: composited.width), name)
            } else {
                // Opaque images are the same whichever way alpha is handled.
                XCTAssertEqual(composited, try PNGDecoder.decode(contentsOf: url), name)
            }
        }
        XCTAssertGreaterThanOrEqual(withAlpha, 10)
    }

    func testGreyValuesBecomeRGB() throws {
        let image = try RGBImage(grey: [0, 7, 255, 128, 1, 2], width: 3, height: 2)
        XCTAssertEqual(image.width, 3)
        XCTAssertEqual(image.height, 2)
        XCTAssertEqual(image.pixels, [0, 0, 0, 7, 7, 7, 255, 255, 255, 128, 128, 128, 1, 1, 1, 2, 2, 2])
        XCTAssertThrowsError(try RGBImage(grey: [1, 2, 3], width: 2, height: 2)) { error in
            XCTAssertEqual((error as? InputError)?.problem, "expected 2x2 = 4 grey values, got 3")
        }
        XCTAssertThrowsError(try RGBImage(grey: [], width: 0, height: 0))
    }
}
