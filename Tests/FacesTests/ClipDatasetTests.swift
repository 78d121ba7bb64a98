import Foundation
import XCTest
@testable import Faces

/// Clips as faces: DFEW/FERV39k annotation lists and class/clip folders.
final class ClipDatasetTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-clips-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func png() throws -> Data { try Data(contentsOf: ImageFixtures.url("decode/grey1.png")) }

    func frames(_ folder: String, _ names: [String]) throws {
        let dir = root.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in names { try png().write(to: dir.appendingPathComponent(name)) }
    }

    func testAnnotationListAtTheRoot() throws {
        try frames("clips/0001", ["00002.png", "00001.png", "00010.png"])
        try frames("clips/0002", ["a_01.png", "a_02.png"])
        try "clips/0001 3 1\nclips/0002 2 8\nclips/0003 4 2\nclips/0001 3 9\nbad line\n"
            .write(to: root.appendingPathComponent("test_annotation.txt"), atomically: true, encoding: .utf8)
        let dataset = try FaceDataset.open(root)
        XCTAssertEqual(dataset.layout, .clipList)
        XCTAssertEqual(dataset.items.map(\.id), ["clips/0001", "clips/0002", "clips/0001"])
        XCTAssertEqual(dataset.items[0].frames?.map(\.lastPathComponent), ["00001.png", "00002.png", "00010.png"], "file-name order")
        XCTAssertEqual(dataset.items.map { $0.labels?.emotion }, ["happiness", "contempt", nil])
        XCTAssertEqual(dataset.warnings.count, 3, "\(dataset.warnings)")  // no frames, label 9, bad line
        // Opened directly, the list reads the same.
        XCTAssertEqual(try FaceDataset.open(root.appendingPathComponent("test_annotation.txt")).items.count, 3)
    }

    func testClassFoldersHoldingClipFolders() throws {
        try frames("happy/clip_01", ["00001.png", "00002.png", "00003.png"])
        try frames("happy", ["still.png"])
        try frames("sad/subject", ["photo.png", "portrait.png"])  // not numbered: two stills
        let dataset = try FaceDataset.open(root)
        XCTAssertEqual(dataset.items.map(\.id), ["happy/clip_01", "happy/still.png", "sad/subject/photo.png", "sad/subject/portrait.png"])
        XCTAssertEqual(dataset.items[0].frames?.count, 3)
        XCTAssertNil(dataset.items[1].frames)
        XCTAssertEqual(dataset.items.map { $0.labels?.emotion }, ["happiness", "happiness", "sadness", "sadness"])
    }

    func testClipContentHashFollowsItsFrames() throws {
        try frames("happy/clip_01", ["00001.png", "00002.png"])
        let item = try FaceDataset.open(root).items[0]
        let before = try item.contentHash()
        try Data([1, 2, 3]).write(to: root.appendingPathComponent("happy/clip_01/00002.png"))
        XCTAssertNotEqual(try item.contentHash(), before)
        XCTAssertEqual(try item.loadFrame(5) { url in RGBImage(width: 1, height: 1, pixels: [url.lastPathComponent == "00002.png" ? 9 : 0, 0, 0]) }.pixels[0], 9,
                       "frames past the end clamp to the last")
    }
    /// DFEW and FERV39k ship clips as numbered JPEG frames.
    func testJPEGFramesInAnAnnotationListAndInClassFolders() throws {
        let listed = try FaceDataset.open(JPEGFixtures.url("dfew_list.txt"))
        XCTAssertEqual(listed.layout, .clipList)
        XCTAssertEqual(listed.items.map(\.id), ["clip"])
        XCTAssertEqual(listed.items[0].frames?.map(\.lastPathComponent), (1...5).map { String(format: "%05d.jpg", $0) })
        XCTAssertEqual(listed.items[0].labels?.emotion, "neutral")
        XCTAssertEqual(listed.warnings, [])
        let frame = try listed.items[0].loadFrame(1) { try FaceImageDecoder.decode(contentsOf: $0, alpha: .compositeOntoWhite) }
        XCTAssertEqual(frame, try PNGDecoder.decode(contentsOf: JPEGFixtures.url("clip_decoded/00002.png")), "PIL's pixels")

        // Class/clip folders; a clip converted with `mogrify -format png` keeps its JPEGs beside the
        // PNGs, and its frames are the PNGs, not both.
        let happy = root.appendingPathComponent("happy/clip_01"), sad = root.appendingPathComponent("sad/clip_02")
        for dir in [happy, sad] { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
        for n in 1...5 {
            let name = String(format: "%05d", n)
            try FileManager.default.copyItem(at: JPEGFixtures.url("clip/\(name).jpg"), to: happy.appendingPathComponent("\(name).jpg"))
            if n <= 2 {
                try FileManager.default.copyItem(at: JPEGFixtures.url("clip/\(name).jpg"), to: sad.appendingPathComponent("\(name).JPG"))
                try FileManager.default.copyItem(at: JPEGFixtures.url("clip_decoded/\(name).png"), to: sad.appendingPathComponent("\(name).png"))
            }
        }
        let folders = try FaceDataset.open(root)
        XCTAssertEqual(folders.items.map(\.id), ["happy/clip_01", "sad/clip_02"])
        XCTAssertEqual(folders.items[0].frames?.map(\.lastPathComponent), (1...5).map { String(format: "%05d.jpg", $0) })
        XCTAssertEqual(folders.items[1].frames?.map(\.lastPathComponent), ["00001.png", "00002.png"])
        XCTAssertEqual(folders.items.map { $0.labels?.emotion }, ["happiness", "sadness"])
        XCTAssertEqual(folders.warnings, ["2 JPEG images left out for the PNG beside each (e.g. sad/clip_02/00001.JPG)"])
    }
}
