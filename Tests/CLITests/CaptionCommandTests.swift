import Foundation
import XCTest

/// `facecap caption` as other tools call it: its output contract and its one-line errors.
final class CaptionCommandTests: XCTestCase {
    let model = FacecapProcess.fixtures.appendingPathComponent("parity/tiny-f32").path
    let png = FacecapProcess.fixtures.appendingPathComponent("test.png").path

    func testJSONLineCarriesTheContractFieldsAndReferenceTokens() throws {
        let out = try FacecapProcess.run(["caption", "--model", model, "--json", png, png])
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        for key in ["image", "caption", "token_ids", "encode_ms", "decode_ms"] { XCTAssertNotNil(object[key], key) }
        // The fixture's generation_config asks for beam search; its reference run gives these ids.
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model + "/reference.json"))) as! [String: Any]
        let cases = reference["generation"] as! [[String: Any]]
        let defaults = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model + "/generation_config.json"))) as! [String: Any]
        let beams = (defaults["num_beams"] as? Int) ?? 1
        if let match = cases.first(where: { c in
            let k = c["generate_kwargs"] as! [String: Any]
            return (k["num_beams"] as? Int) == beams && (c["prompt"] as? String) == "" && (k["min_new_tokens"] as? Int ?? 0) == 0
                && (k["repetition_penalty"] as? Double ?? 1) == 1 && (k["length_penalty"] as? Double ?? 1) == ((defaults["length_penalty"] as? Double) ?? 1)
                && (k["max_new_tokens"] as? Int) == (defaults["max_new_tokens"] as? Int)
        }) {
            XCTAssertEqual(object["token_ids"] as? [Int], match["new_ids"] as? [Int])
        }
    }

    func testDecodingFlagsReachTheEngine() throws {
        let greedy = try FacecapProcess.run(["caption", "--model", model, "--num-beams", "1", "--max-new-tokens", "3", "--json", png])
        XCTAssertEqual(greedy.status, 0, greedy.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(greedy.stdout.utf8)) as! [String: Any]
        XCTAssertLessThanOrEqual((object["token_ids"] as! [Int]).count, 3)
        let sampled = try FacecapProcess.run(["caption", "--model", model, "--sample", "--top-p", "0.9", "--temperature", "1.5",
                                              "--seed", "7", "--num-captions", "3", "--json", png])
        XCTAssertEqual(sampled.status, 0, sampled.stderr)
        let s = try JSONSerialization.jsonObject(with: Data(sampled.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((s["captions"] as! [String]).count, 3)
        let again = try FacecapProcess.run(["caption", "--model", model, "--sample", "--top-p", "0.9", "--temperature", "1.5",
                                            "--seed", "7", "--num-captions", "3", "--json", png])
        let a = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(a["all_token_ids"] as? [[Int]], s["all_token_ids"] as? [[Int]], "same seed, same samples")
    }

    /// Each bad input: exit status 1, exactly one line on stderr naming the file and the problem.
    func assertOneLineError(_ args: [String], mentions expected: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let out = try FacecapProcess.run(args)
        XCTAssertEqual(out.status, 1, "status; stderr: \(out.stderr)", file: file, line: line)
        let lines = out.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line, got: \(out.stderr)", file: file, line: line)
        for text in expected { XCTAssertTrue(out.stderr.contains(text), "\(out.stderr) should mention \(text)", file: file, line: line) }
        XCTAssertTrue(out.stdout.isEmpty, file: file, line: line)
    }

    func testMissingImage() throws {
        try assertOneLineError(["caption", "--model", model, "/nonexistent/face.png"], mentions: ["/nonexistent/face.png", "No such file"])
    }

    func testTruncatedPNG() throws {
        let bad = FacecapProcess.fixtures.appendingPathComponent("images/corrupt/truncated.png").path
        try assertOneLineError(["caption", "--model", model, bad], mentions: [bad, "truncated PNG data"])
    }

    func testHugePNGIsRefusedBeforeAllocating() throws {
        let huge = FacecapProcess.fixtures.appendingPathComponent("images/corrupt/huge_ihdr.png").path
        try assertOneLineError(["caption", "--model", model, huge], mentions: [huge, "100000x100000", "100 megapixels"])
    }

    func testMissingModelFolder() throws {
        try assertOneLineError(["caption", "--model", "/nonexistent/model", png], mentions: ["/nonexistent/model", "no such model folder"])
    }

    func testSafetensorsWithLyingHeader() throws {
        let dir = try FacecapProcess.copyOfModel("tiny-f32")
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = dir.appendingPathComponent("model.safetensors")
        var bytes = [UInt8](try Data(contentsOf: weights))
        // Cut the data section short: the header now promises bytes the file does not have.
        bytes.removeLast(bytes.count / 3)
        try Data(bytes).write(to: weights)
        try assertOneLineError(["caption", "--model", dir.path, png], mentions: [weights.path])
    }

    func testConfigWhoseShapesDisagreeWithTheWeights() throws {
        let dir = try FacecapProcess.copyOfModel("tiny-f32")
        defer { try? FileManager.default.removeItem(at: dir) }
        let configURL = dir.appendingPathComponent("config.json")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
        var vision = config["vision_config"] as! [String: Any]
        vision["intermediate_size"] = (vision["intermediate_size"] as! Int) * 2
        config["vision_config"] = vision
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        try assertOneLineError(["caption", "--model", dir.path, png], mentions: ["mlp.fc1.weight", "config.json implies"])
    }

    func testMalformedConfigJSON() throws {
        let dir = try FacecapProcess.copyOfModel("tiny-f32")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{\"vision_config\": {\"hidden_size\": \"wide\"}}".utf8).write(to: dir.appendingPathComponent("config.json"))
        try assertOneLineError(["caption", "--model", dir.path, png], mentions: ["config.json", "vision_config.hidden_size"])
    }

    func testUnknownOptionIsAUsageError() throws {
        let out = try FacecapProcess.run(["caption", "--model", model, "--frobnicate", png])
        XCTAssertEqual(out.status, 64)
        XCTAssertTrue(out.stderr.contains("Unknown option '--frobnicate'"), out.stderr)
    }

    func testBadDecodingValuesAreClearErrors() throws {
        try assertOneLineError(["caption", "--model", model, "--num-beams", "0", png], mentions: ["--num-beams"])
        try assertOneLineError(["caption", "--model", model, "--sample", "--top-p", "1.5", png], mentions: ["--top-p"])
    }
}
