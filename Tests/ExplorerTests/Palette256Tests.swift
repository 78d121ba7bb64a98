import XCTest
@testable import Explorer
@testable import TerminalUI
import TerminalTesting

final class Palette256Tests: XCTestCase {
    func testExactPaletteColoursMapToThemselves() {
        for index in [16, 21, 46, 196, 231, 232, 244, 255] {
            XCTAssertEqual(Palette256.nearestIndex(to: Palette256.color(ofIndex: index)), index)
        }
    }

    func testNearestIsTrulyNearestAgainstBruteForce() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let c = RGB(UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
                        UInt8.random(in: 0...255, using: &generator))
            let best = (16...255).min { Palette256.color(ofIndex: $0).distanceSquared(to: c) < Palette256.color(ofIndex: $1).distanceSquared(to: c) }!
            XCTAssertEqual(Palette256.color(ofIndex: Palette256.nearestIndex(to: c)).distanceSquared(to: c),
                           Palette256.color(ofIndex: best).distanceSquared(to: c), "colour \(c)")
        }
    }

    func testMidGreyPrefersGreyRamp() {
        // (128,128,128): the cube's nearest is (135,135,135) at distance 147, the ramp has 128 itself.
        XCTAssertEqual(Palette256.nearestIndex(to: RGB(128, 128, 128)), 244)
    }
}
