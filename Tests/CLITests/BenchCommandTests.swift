import Foundation
import XCTest

/// `facecap bench` on a model folder: beams are timed with the cache reorder beam search makes each
/// step, and widths the engine does not support are refused in one line.
final class BenchCommandTests: XCTestCase {
    var model: String { FacecapProcess.fixtures.appendingPathComponent("parity/tiny-bf16").path }

    func testBeamsAreTimed() throws {
        let out = try FacecapProcess.run(["bench", "--model", model, "--runs", "1", "--new-tokens", "3", "--num-beams", "5", "--no-reference"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let decode = try XCTUnwrap(out.stdout.split(separator: "\n").first { $0.hasPrefix("decode") }, out.stdout)
        XCTAssertTrue(decode.contains("batch 5"), String(decode))
    }

    func testTooManyBeamsIsOneLine() throws {
        let out = try FacecapProcess.run(["bench", "--model", model, "--num-beams", "65", "--no-reference"])
        XCTAssertNotEqual(out.status, 0)
        XCTAssertTrue(out.stderr.contains("--num-beams must be at most 64"), out.stderr)
        XCTAssertFalse(out.stderr.contains("Fatal error"), out.stderr)
    }
}
