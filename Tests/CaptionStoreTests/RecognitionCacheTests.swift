import Captioning
import Foundation
import XCTest
@testable import CaptionStore

/// Recognitions live in their own table of the caption cache's file, beside the captions.
final class RecognitionCacheTests: XCTestCase {
    func testRoundTripBesideTheCaptions() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-recog-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let captions = try CaptionCache(path: path)
        let cache = try RecognitionCache(path: path)
        XCTAssertNil(try cache.lookup(model: "m", imageHash: "h", frames: "all"))
        try cache.store(Data(#"{"top":"fear"}"#.utf8), model: "m", modelName: "DFER-CLIP", imageHash: "h", imageID: "a/clip", frames: "all")
        try cache.store(Data(#"{"top":"anger"}"#.utf8), model: "m", modelName: "DFER-CLIP", imageHash: "h", imageID: "a/clip", frames: "3-18")
        XCTAssertEqual(try cache.lookup(model: "m", imageHash: "h", frames: "all"), Data(#"{"top":"fear"}"#.utf8))
        XCTAssertEqual(try cache.lookup(model: "m", imageHash: "h", frames: "3-18"), Data(#"{"top":"anger"}"#.utf8))
        XCTAssertNil(try cache.lookup(model: "other", imageHash: "h", frames: "all"))
        XCTAssertEqual(try cache.count, 2)
        XCTAssertEqual(try captions.count, 0, "the captions' table is untouched")
        // A second process opening the same file sees the rows.
        XCTAssertEqual(try RecognitionCache(path: path).count, 2)
    }
}
