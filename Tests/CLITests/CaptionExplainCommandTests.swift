import Foundation
import XCTest

/// `caption --json` with the "why did it say that" fields: token_logprobs always, attention with
/// --attention, occluded with --occlude. The numbers are the fixtures' transformers references.
final class CaptionExplainCommandTests: XCTestCase {
    let model = FacecapProcess.fixtures.appendingPathComponent("parity/tiny-f32").path
    let png = FacecapProcess.fixtures.appendingPathComponent("test.png").path

    func json(_ args: [String]) throws -> [String: Any] {
        let out = try FacecapProcess.run(["caption", "--model", model, "--json"] + args + [png])
        XCTAssertEqual(out.status, 0, out.stderr)
        return try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as! [String: Any]
    }

    func testTokenLogprobsEqualTransformersTransitionScores() throws {
        let object = try json(["--num-beams", "1"])
        XCTAssertNil(object["attention"], "attention only when asked")
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model + "/attention_reference.json"))) as! [String: Any]
        let greedy = (reference["cases"] as! [[String: Any]]).first { $0["name"] as? String == "greedy" }!
        // The model's defaults with one beam are the reference's greedy case.
        XCTAssertEqual(object["token_ids"] as? [Int], greedy["new_ids"] as? [Int])
        let ours = object["token_logprobs"] as! [Double], theirs = greedy["token_logprobs"] as! [Double]
        XCTAssertEqual(ours.count, theirs.count)
        for (a, b) in zip(ours, theirs) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        XCTAssertTrue((object["token_logprobs"] as! [Double]).allSatisfy { $0 <= 0 })
    }

    func testAttentionIsOnePatchGridPerTokenSummingToOne() throws {
        let object = try json(["--attention"])
        let tokens = object["token_ids"] as! [Int]
        let grids = object["attention"] as! [[[Double]]]
        XCTAssertEqual(grids.count, tokens.count)
        for grid in grids {
            XCTAssertEqual(grid.count, 4, "32 px / 8 px patches")
            XCTAssertTrue(grid.allSatisfy { $0.count == 4 })
            XCTAssertEqual(grid.joined().reduce(0, +), 1, accuracy: 1e-5)
        }
    }

    func testOcclusionChangesTheInputAndIsReported() throws {
        let plain = try json(["--attention"])
        let hidden = try json(["--attention", "--occlude", "upper"])
        XCTAssertEqual(hidden["occluded"] as? String, "upper")
        XCTAssertNotEqual(hidden["attention"] as? [[[Double]]], plain["attention"] as? [[[Double]]],
                          "greying out half the image changes what the model sees")
        let box = try json(["--occlude", "0.25,0.25,0.5,0.5"])
        XCTAssertEqual(box["occluded"] as? String, "0.25,0.25,0.50,0.50")
    }

    func testBadOcclusionIsAOneLineError() throws {
        for bad in ["middle", "0.5,0.5,0.6,0.1", "1,2,3"] {
            let out = try FacecapProcess.run(["caption", "--model", model, "--occlude", bad, png])
            XCTAssertEqual(out.status, 1, bad)
            XCTAssertEqual(out.stderr.split(separator: "\n").count, 1, out.stderr)
            XCTAssertTrue(out.stderr.contains("--occlude"), out.stderr)
        }
    }
}
