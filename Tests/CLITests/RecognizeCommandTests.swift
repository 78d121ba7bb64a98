import Foundation
import XCTest

/// `facecap recognize` as scripts call it: the --json contract, the released-checkpoint path, and bad
/// inputs that print one line each while the good ones still run.
final class RecognizeCommandTests: XCTestCase {
    let fixtures = FacecapProcess.fixtures.appendingPathComponent("recognition")
    var model: String { fixtures.appendingPathComponent("tiny-f32").path }
    var clip: String { fixtures.appendingPathComponent("clip").path }
    var still: String { fixtures.appendingPathComponent("still.png").path }

    func reference(_ name: String, _ input: String) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent(name))) as! [String: Any]
        return (json["inputs"] as! [String: Any])[input] as! [String: Any]
    }

    func testJSONContract() throws {
        let out = try FacecapProcess.run(["recognize", "--model", model, "--json", clip, still])
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        for (line, (input, name)) in zip(lines, [(clip, "clip"), (still, "still.png")]) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            XCTAssertEqual(Set(object.keys), ["input", "classes", "probs", "logits", "top", "frames"])
            XCTAssertEqual(object["input"] as? String, input)
            let classes = object["classes"] as! [String]
            XCTAssertEqual(classes.count, 7)
            let ref = try reference("reference.json", name)
            XCTAssertEqual(object["frames"] as? [Int], ref["frames"] as? [Int])
            XCTAssertEqual(object["top"] as? String, classes[(ref["top"] as! NSNumber).intValue])
            let logits = (object["logits"] as! [NSNumber]).map(\.doubleValue)
            let expected = (ref["logits"] as! [NSNumber]).map(\.doubleValue)
            for (a, b) in zip(logits, expected) { XCTAssertEqual(a, b, accuracy: 1e-4) }
            XCTAssertEqual((object["probs"] as! [NSNumber]).map(\.doubleValue).reduce(0, +), 1, accuracy: 1e-4)
        }
    }

    func testReleasedCheckpointWithClassSet() throws {
        let pth = fixtures.appendingPathComponent("tiny-released.pth").path
        let out = try FacecapProcess.run(["recognize", "--model", pth, "--classes", "dfew", clip])
        XCTAssertEqual(out.status, 0, out.stderr)
        let ref = try reference("reference_pth.json", "clip")
        let classes = ["happiness", "sadness", "neutral", "anger", "surprise", "disgust", "fear"]
        XCTAssertTrue(out.stdout.hasPrefix("\(clip): \(classes[(ref["top"] as! NSNumber).intValue]) "), out.stdout)
    }

    func testBadInputsAreOneLineEachAndTheOthersStillRun() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-empty-clip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let out = try FacecapProcess.run(["recognize", "--model", model, "--json", empty.path, "/no/such/clip", still])
        XCTAssertEqual(out.status, 2, "partly done, as caption's batches say it")
        XCTAssertEqual(out.stdout.split(separator: "\n").count, 1, "the still is still recognised")
        XCTAssertEqual(out.stderr, "facecap: 2 of 3 inputs failed (skipped):\n"
                       + "facecap: \(empty.path): clip folder has no frames (PNG or JPEG files)\nfacecap: /no/such/clip: no such file or folder\n")
    }

    func testAllInputsBadIsStatusOne() throws {
        let out = try FacecapProcess.run(["recognize", "--model", model, "/no/such/clip"])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "facecap: /no/such/clip: no such file or folder\n")
    }

    func testModelThatIsNotThere() throws {
        let out = try FacecapProcess.run(["recognize", "--model", "/no/such/model", still])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "facecap: /no/such/model: no such model folder or checkpoint\n")
    }
}
