import Foundation
import XCTest
@testable import Tensor

/// A fresh temporary folder per test, removed afterwards.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("facecap-tensor-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }

    func write(_ text: String, to name: String) throws -> String {
        try write(Array(text.utf8), to: name)
    }
}

/// Fixtures written by the Python reference library (Tests/Fixtures/safetensors/make_fixtures.py).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/safetensors")
}

extension Array where Element == UInt16 {
    func littleEndianBytes() -> [UInt8] { flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
}

extension Array where Element == UInt32 {
    func littleEndianBytes() -> [UInt8] { flatMap { v in (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } } }
}

extension TensorView {
    /// Raw elements as 16-bit patterns (F16/BF16 tensors).
    var halfBits: [UInt16] {
        (0..<count).map { data.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self) }
    }
    var floatBits: [UInt32] { floats().map(\.bitPattern) }
}

/// Asserts `body` throws an InputError whose path is `path` and whose problem contains every fragment.
func assertInputError<T>(_ body: @autoclosure () throws -> T, path: String, mentions fragments: [String],
                         file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected an InputError mentioning \(fragments)", file: file, line: line)
    } catch let error as InputError {
        XCTAssertEqual(error.path, path, "wrong path in: \(error)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(error.problem.contains(fragment), "\"\(error.problem)\" does not mention \"\(fragment)\"",
                          file: file, line: line)
        }
    } catch {
        XCTFail("expected an InputError, got \(error)", file: file, line: line)
    }
}
