import Foundation
import Tensor
import XCTest
@testable import Captioning

/// Bad tokenizer files are user errors: InputError naming the file, never a crash.
final class TokenizerFileTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = try TokenizerFixtures.subset(of: "opt-like", files: ["vocab.json", "merges.txt"])
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func write(_ name: String, _ text: String) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    private func loadError(file: StaticString = #filePath, line: UInt = #line) -> InputError? {
        do {
            _ = try BPETokenizer(directory: dir)
            XCTFail("expected an InputError", file: file, line: line)
            return nil
        } catch let e as InputError {
            return e
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    func testVocabAndMergesAloneLoadAsPlainGPT2() throws {
        let tok = try BPETokenizer(directory: dir)
        XCTAssertNil(tok.bosTokenID)
        XCTAssertFalse(tok.addsBOSByDefault)
        let hello = TokenizerFixtures.cases.opt.encode.first { $0.text == "Hello world" }!
        XCTAssertEqual(tok.encode("Hello world"), hello.ids_no_special)  // no BOS token to add
    }

    func testMalformedMergesLineIsReportedWithItsNumber() throws {
        var lines = try String(contentsOf: dir.appendingPathComponent("merges.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[4] = "onlyonetoken"
        try write("merges.txt", lines.joined(separator: "\n"))
        let e = loadError()
        XCTAssertEqual(e?.path, dir.appendingPathComponent("merges.txt").path)
        XCTAssertEqual(e?.problem.hasPrefix("line 5:"), true, e?.problem ?? "")
    }

    func testMergeOfUnknownTokenIsReported() throws {
        let lines = try String(contentsOf: dir.appendingPathComponent("merges.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        try write("merges.txt", ([lines[0], lines[1], "not-a-token x"] + lines[2...]).joined(separator: "\n"))
        let e = loadError()
        XCTAssertEqual(e?.path, dir.appendingPathComponent("merges.txt").path)
        XCTAssertEqual(e?.problem.hasPrefix("line 3:"), true, e?.problem ?? "")
    }

    func testMissingMergesIsReported() throws {
        try FileManager.default.removeItem(at: dir.appendingPathComponent("merges.txt"))
        XCTAssertEqual(loadError()?.path, dir.appendingPathComponent("merges.txt").path)
    }

    func testEmptyDirectoryIsReported() throws {
        try FileManager.default.removeItem(at: dir.appendingPathComponent("merges.txt"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("vocab.json"))
        XCTAssertEqual(loadError()?.path, dir.path)
    }

    func testMalformedJSONFilesAreReported() throws {
        for (name, text) in [("vocab.json", "{\"a\": 0, "), ("vocab.json", "{\"a\": -3}"), ("vocab.json", "[1, 2]"),
                             ("tokenizer_config.json", "not json"), ("special_tokens_map.json", "{\"bos_token\": 5}"),
                             ("added_tokens.json", "{\"<image>\": \"x\"}"),
                             ("tokenizer.json", "{\"model\": {\"type\": \"WordPiece\"}}"),
                             ("tokenizer.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [[\"a\"]]}}")] {
            try setUpWithError()
            try write(name, text)
            XCTAssertEqual(loadError()?.path, dir.appendingPathComponent(name).path, "\(name): \(text)")
        }
    }
}
