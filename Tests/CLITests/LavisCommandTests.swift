import Foundation
import XCTest

/// The contract for the published checkpoints: `caption --model FILE.pth --language-model DIR`,
/// a folder with the .pth and facecap.json, and `convert --lavis`; each bad input one line.
final class LavisCommandTests: XCTestCase {
    let lavis = FacecapProcess.fixtures.appendingPathComponent("lavis")
    let png = FacecapProcess.fixtures.appendingPathComponent("test.png").path
    var pth: String { lavis.appendingPathComponent("exp-blip-f32/tiny_exp_blip.pth").path }
    var opt: String { lavis.appendingPathComponent("opt").path }

    func referenceIDs() throws -> [Int] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: lavis.appendingPathComponent("exp-blip-f32/reference.json"))) as! [String: Any]
        let beam = (json["generation"] as! [[String: Any]]).first { ($0["name"] as? String) == "authors_beam5" }!
        return beam["new_ids"] as! [Int]
    }

    func tokenIDs(_ out: FacecapProcess.Output) throws -> [Int]? {
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        return object?["token_ids"] as? [Int]
    }

    func testCaptionWithPthAndLanguageModelGivesTheAuthorsDecoding() throws {
        let out = try FacecapProcess.run(["caption", "--model", pth, "--language-model", opt, "--json", png])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(try tokenIDs(out), try referenceIDs())
        let folder = try FacecapProcess.run(["caption", "--model", lavis.appendingPathComponent("exp-blip-f32").path, "--json", png])
        XCTAssertEqual(folder.status, 0, folder.stderr)
        XCTAssertEqual(try tokenIDs(folder), try referenceIDs(), "folder with facecap.json")
    }

    func testConvertWritesAFolderThatCaptionsTheSame() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-convert-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let convert = try FacecapProcess.run(["convert", "--lavis", pth, "--language-model", opt, "-o", output])
        XCTAssertEqual(convert.status, 0, convert.stderr)
        XCTAssertTrue(convert.stdout.hasPrefix("wrote \(output)"), convert.stdout)
        let out = try FacecapProcess.run(["caption", "--model", output, "--json", png])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(try tokenIDs(out), try referenceIDs())
    }

    func assertOneLineError(_ args: [String], mentions expected: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let out = try FacecapProcess.run(args)
        XCTAssertEqual(out.status, 1, "status; stderr: \(out.stderr)", file: file, line: line)
        XCTAssertEqual(out.stderr.split(separator: "\n").count, 1, "one line, got: \(out.stderr)", file: file, line: line)
        for text in expected { XCTAssertTrue(out.stderr.contains(text), "\(out.stderr) should mention \(text)", file: file, line: line) }
    }

    func testBadCheckpointsAreOneLine() throws {
        let pytorch = FacecapProcess.fixtures.appendingPathComponent("pytorch")
        let lone = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-lone-\(UUID().uuidString).pth")
        try FileManager.default.copyItem(atPath: pth, toPath: lone.path)
        defer { try? FileManager.default.removeItem(at: lone) }
        try assertOneLineError(["caption", "--model", lone.path, png], mentions: [lone.path, "holds no OPT weights", "--language-model"])
        let bare = pytorch.appendingPathComponent("bare.pt").path
        try assertOneLineError(["caption", "--model", bare, "--language-model", opt, png],
                               mentions: [bare, "not a LAVIS BLIP-2 OPT checkpoint", "visual_encoder.cls_token"])
        let legacy = pytorch.appendingPathComponent("legacy.pth").path
        try assertOneLineError(["caption", "--model", legacy, "--language-model", opt, png], mentions: [legacy, "legacy torch.save", "re-save"])
        let deflated = pytorch.appendingPathComponent("deflated.pth").path
        try assertOneLineError(["convert", "--lavis", deflated, "--language-model", opt, "-o", "/tmp/never-written"],
                               mentions: [deflated, "deflate-compressed"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/never-written"))
    }
}
