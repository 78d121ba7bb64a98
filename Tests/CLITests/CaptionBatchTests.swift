import Foundation
import XCTest

/// `caption` over many inputs: a bad file is skipped and listed, the rest are captioned, and the exit
/// status tells "all done" (0), "partly done" (2) and "nothing done" (1) apart.
final class CaptionBatchTests: XCTestCase {
    let model = FacecapProcess.fixtures.appendingPathComponent("parity/tiny-f32").path
    let good = FacecapProcess.fixtures.appendingPathComponent("test.png").path
    let other = FacecapProcess.repo.appendingPathComponent("SampleFaces/face_01.png").path
    let truncated = FacecapProcess.fixtures.appendingPathComponent("images/corrupt/truncated.png").path

    func testABadImageAmongSeveralIsSkippedAndListed() throws {
        let out = try FacecapProcess.run(["caption", "--model", model, good, truncated, "/nonexistent/face.png", other])
        XCTAssertEqual(out.status, 2, out.stderr)
        let lines = out.stdout.split(separator: "\n").map(String.init)
        // Both good images were captioned, each line saying which image it is for.
        XCTAssertEqual(lines.count, 2, out.stdout)
        XCTAssertTrue(lines[0].hasPrefix(good + ": "), lines[0])
        XCTAssertTrue(lines[1].hasPrefix(other + ": "), lines[1])
        let errors = out.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(errors.first, "facecap: 2 of 4 images failed (skipped):")
        XCTAssertTrue(errors.contains("facecap: \(truncated): truncated PNG data"), out.stderr)
        XCTAssertTrue(errors.contains { $0.hasPrefix("facecap: /nonexistent/face.png: ") }, out.stderr)
        XCTAssertEqual(errors.count, 3, out.stderr)
    }

    func testEveryImageBadIsStatusOne() throws {
        let out = try FacecapProcess.run(["caption", "--model", model, truncated, "/nonexistent/face.png"])
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stdout.isEmpty)
        XCTAssertTrue(out.stderr.contains("2 of 2 images failed"), out.stderr)
    }

    /// One image, one model, one caption: the caption alone. Otherwise each line names what it is.
    func testPlainLinesSayWhichImageModelAndCaption() throws {
        let single = try FacecapProcess.run(["caption", "--model", model, good])
        XCTAssertEqual(single.status, 0, single.stderr)
        XCTAssertEqual(single.stdout.split(separator: "\n").count, 1)
        XCTAssertFalse(single.stdout.contains(good), single.stdout)

        let bf16 = FacecapProcess.fixtures.appendingPathComponent("parity/tiny-bf16").path
        let many = try FacecapProcess.run(["caption", "--models", "\(model),\(bf16)", "--num-beams", "3",
                                           "--num-captions", "2", good, other])
        XCTAssertEqual(many.status, 0, many.stderr)
        let lines = many.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 8, many.stdout)
        XCTAssertTrue(lines[0].hasPrefix("\(good) tiny-f32 #1: "), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("\(good) tiny-f32 #2: "), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("\(good) tiny-bf16 #1: "), lines[2])
        XCTAssertTrue(lines[7].hasPrefix("\(other) tiny-bf16 #2: "), lines[7])
    }

    func testDatasetRunSkipsUnreadableFacesAndCachesTheRest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-batch-\(UUID().uuidString)")
        let data = dir.appendingPathComponent("faces")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: good, toPath: data.appendingPathComponent("a.png").path)
        try FileManager.default.copyItem(atPath: truncated, toPath: data.appendingPathComponent("b.png").path)
        try FileManager.default.copyItem(atPath: other, toPath: data.appendingPathComponent("c.png").path)
        let cache = dir.appendingPathComponent("captions.sqlite").path

        let out = try FacecapProcess.run(["caption", "--dataset", data.path, "--models", model, "--cache", cache])
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("facecap: 2 captions computed, 0 already cached, 1 unreadable face skipped"),
                      out.stderr)
        XCTAssertTrue(out.stderr.contains("facecap: 1 of 3 faces failed (skipped):"), out.stderr)
        XCTAssertTrue(out.stderr.contains("facecap: \(data.appendingPathComponent("b.png").path): truncated PNG data"),
                      out.stderr)
        let info = try FacecapProcess.run(["cache", "info", "--cache", cache])
        XCTAssertEqual(info.stdout, "\(cache): 2 captions\n")
    }

    /// `cache info` only looks: no file, no folder appears.
    func testCacheInfoCreatesNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-info-\(UUID().uuidString)")
        let cache = dir.appendingPathComponent("sub/captions.sqlite").path
        let out = try FacecapProcess.run(["cache", "info", "--cache", cache])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, "\(cache): no cache yet (0 captions)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path))
    }
}
