import Foundation
import XCTest
@testable import Tensor

final class MappedFileTests: XCTestCase {
    func testMapsBytes() throws {
        let scratch = try Scratch()
        let path = try scratch.write([1, 2, 3], to: "three")
        let file = try MappedFile(path: path)
        XCTAssertEqual(file.path, path)
        XCTAssertEqual(Array(file.bytes), [1, 2, 3])
    }

    func testEmptyFileMapsToNoBytes() throws {
        let scratch = try Scratch()
        let file = try MappedFile(path: try scratch.write([], to: "empty"))
        XCTAssertEqual(file.bytes.count, 0)
    }

    func testMissingFile() throws {
        let scratch = try Scratch()
        let path = scratch.url.appendingPathComponent("nope.safetensors").path
        assertInputError(try MappedFile(path: path), path: path, mentions: ["no such file"])
        assertInputError(try SafetensorsFile(path: path), path: path, mentions: ["no such file"])
    }

    func testDirectory() throws {
        let scratch = try Scratch()
        assertInputError(try MappedFile(path: scratch.url.path), path: scratch.url.path, mentions: ["is a directory"])
    }

    func testPathThroughAFile() throws {
        let scratch = try Scratch()
        let path = try scratch.write([1], to: "plain") + "/inner"
        assertInputError(try MappedFile(path: path), path: path, mentions: ["not a directory"])
    }

    func testUnreadableFile() throws {
        try XCTSkipIf(geteuid() == 0, "root reads files regardless of permissions")
        let scratch = try Scratch()
        let path = try scratch.write([1, 2], to: "secret")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
        assertInputError(try MappedFile(path: path), path: path, mentions: ["permission denied"])
    }

    func testFIFOIsRejectedWithoutBlocking() throws {
        let scratch = try Scratch()
        let path = scratch.url.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        assertInputError(try MappedFile(path: path), path: path, mentions: ["not a regular file"])
    }
}
