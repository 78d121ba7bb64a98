import Foundation
import XCTest
@testable import Tensor

/// Random damage to a valid file's length prefix and header never crashes the reader: each
/// damaged file either loads (and every tensor it exposes lies within memory it owns) or throws
/// an InputError naming the file.
final class SafetensorsFuzzTests: XCTestCase {
    /// SplitMix64: a seeded generator so a failing case can be reproduced.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func testDamagedHeadersLoadOrThrowInputError() throws {
        let scratch = try Scratch()
        let original = SafetensorsWriter.encode([
            .init(TensorView.make(name: "vision_model.embeddings.class_embedding", dtype: .f32, shape: [1, 1, 4], floats: [1, 2, 3, 4])),
            .init(TensorView.make(name: "qformer.layernorm.weight", dtype: .f16, shape: [3], floats: [1, 0.5, -1])),
            .init(TensorView.make(name: "language_model.lm_head.weight", dtype: .bf16, shape: [2, 2], floats: [1, 2, 3, 4])),
            .init(name: "position_ids", dtype: "I64", shape: [1, 2], bytes: Array(repeating: 0, count: 16)),
        ], metadata: ["format": "pt"])
        let headerEnd = 8 + Int(original[0]) + Int(original[1]) << 8
        // Bytes a JSON header is made of, so mutations reach the validation past the JSON parser.
        let interesting = Array(#"{}[]",:0123456789-.eE"\ u"#.utf8) + [0x00, 0xFF, 0x80]

        var rng = SplitMix64(state: 0x5AFE_7E45)
        var loaded = 0, rejected = 0
        let path = scratch.url.appendingPathComponent("fuzz.safetensors").path
        for round in 0..<500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0:
                    bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
                case 1:
                    // Rewrite one byte of the length prefix.
                    if bytes.count >= 8 { bytes[Int.random(in: 0..<8, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
                case 2:
                    let at = Int.random(in: 8...min(headerEnd, bytes.count), using: &rng)
                    if at < bytes.count { bytes.remove(at: at) }
                default:
                    let end = min(headerEnd, bytes.count)
                    if end > 8 {
                        let at = Int.random(in: 8..<end, using: &rng)
                        bytes[at] = Bool.random(using: &rng) ? interesting.randomElement(using: &rng)!
                                                             : bytes[at] ^ (1 << UInt8.random(in: 0..<8, using: &rng))
                    }
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let file = try SafetensorsFile(path: path)
                loaded += 1
                for name in file.names {
                    guard let view = file.tensors[name] else {
                        XCTAssertThrowsError(try file.tensor(named: name))
                        continue
                    }
                    let region = (view.owner as? MappedFile)?.bytes ?? UnsafeRawBufferPointer((view.owner as! TensorStorage).bytes)
                    let start = view.data - region.baseAddress!
                    XCTAssertTrue(start >= 0 && start + view.byteCount <= region.count,
                                  "round \(round): tensor \(name) outside its memory")
                    XCTAssertEqual(view.floats().count, view.count)
                }
            } catch let error as InputError {
                rejected += 1
                XCTAssertEqual(error.path, path)
                XCTAssertFalse(error.problem.isEmpty)
            } catch {
                XCTFail("round \(round): not an InputError: \(error)")
            }
        }
        // Both outcomes must actually occur, or the mutations are not exercising the reader.
        XCTAssertGreaterThan(loaded, 10)
        XCTAssertGreaterThan(rejected, 100)
    }
}
