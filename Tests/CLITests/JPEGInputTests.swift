import Foundation
import TerminalTesting
import XCTest

/// JPEG faces and frames through the commands, with the demo models: each JPEG input must give exactly
/// what its PIL-decoded twin (a lossless PNG of the same pixels, Training/make_jpeg_fixtures.py) gives,
/// so a decode that differs from PIL's by one pixel value shows as a different logit or token.
final class JPEGInputTests: XCTestCase {
    let jpeg = FacecapProcess.fixtures.appendingPathComponent("jpeg")
    let models = FacecapProcess.repo.appendingPathComponent("Models")

    func testClipOfJPEGFramesAndAJPEGStillAreRecognised() throws {
        let inputs = ["clip", "clip_decoded", "face.jpg", "face_decoded.png"].map { jpeg.appendingPathComponent($0).path }
        let out = try FacecapProcess.run(["recognize", "--model", models.appendingPathComponent("DFER-CLIP").path, "--json"] + inputs)
        XCTAssertEqual(out.status, 0, out.stderr)
        let objects = try out.stdout.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(objects.count, 4)
        XCTAssertEqual(objects.map { $0["input"] as? String }, inputs)
        XCTAssertEqual(objects[0]["frames"] as? [Int], [0, 1, 2, 3] + Array(repeating: 4, count: 12),
                       "5 frames sampled into 16 segments, the last repeated")
        for (jpegResult, decoded) in [(objects[0], objects[1]), (objects[2], objects[3])] {
            XCTAssertEqual(jpegResult["frames"] as? [Int], decoded["frames"] as? [Int])
            XCTAssertEqual(jpegResult["logits"] as? [Double], decoded["logits"] as? [Double])
            XCTAssertEqual(jpegResult["top"] as? String, decoded["top"] as? String)
        }
    }

    func testJPEGStillIsCaptioned() throws {
        let still = jpeg.appendingPathComponent("face.jpg").path, decoded = jpeg.appendingPathComponent("face_decoded.png").path
        let out = try FacecapProcess.run(["caption", "--model", models.appendingPathComponent("Exp-BLIP").path, "--json", still, decoded])
        XCTAssertEqual(out.status, 0, out.stderr)
        let objects = try out.stdout.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(objects.map { $0["image"] as? String }, [still, decoded])
        let tokens = objects.map { $0["token_ids"] as? [Int] }
        XCTAssertGreaterThan(tokens[0]?.count ?? 0, 3)
        XCTAssertEqual(tokens[0], tokens[1])
        XCTAssertEqual(objects[0]["caption"] as? String, objects[1]["caption"] as? String)
    }

    func testCutJPEGIsOneLine() throws {
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-cut-\(UUID().uuidString).jpg")
        defer { try? FileManager.default.removeItem(at: cut) }
        try Data(try Data(contentsOf: jpeg.appendingPathComponent("face.jpg")).prefix(3000)).write(to: cut)
        let out = try FacecapProcess.run(["caption", "--model", models.appendingPathComponent("Exp-BLIP").path, cut.path])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "facecap: \(cut.path): truncated JPEG data\n")
    }
    /// A researcher's DFEW folder: an annotation list naming a folder of .jpg frames, opened in the explorer
    /// (tmux, 120x32) with a captioner and the demo recognizer: the clip is listed, its frames play in the
    /// recognizer pane and the captioner captions it. Screens: .build/test-logs/jpeg-explore/.
    func testExplorerOnADFEWListOfJPEGFrames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-dfew-\(UUID().uuidString)")
        let clip = folder.appendingPathComponent("clips/0001")
        try FileManager.default.createDirectory(at: clip, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for n in 1...5 {
            let name = String(format: "%05d.jpg", n)
            try FileManager.default.copyItem(at: jpeg.appendingPathComponent("clip/\(name)"), to: clip.appendingPathComponent(name))
        }
        try "clips/0001 5 3\n".write(to: folder.appendingPathComponent("test.txt"), atomically: true, encoding: .utf8)

        let logs = FacecapProcess.repo.appendingPathComponent(".build/test-logs/jpeg-explore")
        guard let tmux = TmuxDriver(logDir: logs) else { throw XCTSkip("tmux is not installed") }
        let quoted = { (url: URL) in TmuxDriver.quote(url.path) }
        try tmux.start("env TERM=xterm-256color LC_ALL=C.UTF-8 \(quoted(try FacecapProcess.executable)) explore "
            + "\(quoted(folder.appendingPathComponent("test.txt"))) --only-models --models \(quoted(models.appendingPathComponent("Exp-BLIP"))) "
            + "--recognizer \(quoted(models.appendingPathComponent("DFER-CLIP"))) --image-mode blocks "
            + "--cache \(quoted(folder.appendingPathComponent("cache.sqlite"))); echo FACECAP-EXIT=$?; sleep 5", width: 120, height: 32)
        let screen = try tmux.waitFor("clip", timeout: 60) { $0.contains("whole clip, 5 frames") && $0.contains("captioned 1/1") }
        XCTAssertTrue(screen.contains("clips/0001"), screen)
        XCTAssertTrue(screen.contains("frame 1/5"), screen)
        XCTAssertFalse(screen.contains("✗"), "no frame failed to decode:\n\(screen)")
        try tmux.keys("q")
        XCTAssertTrue(try tmux.waitFor("quit") { $0.contains("FACECAP-EXIT=") }.contains("FACECAP-EXIT=0"))
    }
}
