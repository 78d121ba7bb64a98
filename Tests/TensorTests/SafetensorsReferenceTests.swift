import XCTest
@testable import Tensor

/// Files written by the Python `safetensors` library; expected values are IEEE bit patterns.
final class SafetensorsReferenceTests: XCTestCase {
    func testReadsEveryFloatTypeWrittenByTheReferenceLibrary() throws {
        let file = try SafetensorsFile(path: Fixtures.folder.appendingPathComponent("reference.safetensors").path)
        XCTAssertEqual(file.names, ["bf16", "f16", "f32", "position_ids"])
        XCTAssertEqual(file.metadata, ["format": "pt"])

        let f32 = try file.tensor(named: "f32")
        XCTAssertEqual(f32.dtype, .f32)
        XCTAssertEqual(f32.shape, [2, 3])
        // 1, -2.5, FLT_MAX, smallest subnormal, +inf, -0
        XCTAssertEqual(f32.floatBits, [0x3F80_0000, 0xC020_0000, 0x7F7F_FFFF, 0x0000_0001, 0x7F80_0000, 0x8000_0000])

        let f16 = try file.tensor(named: "f16")
        XCTAssertEqual(f16.dtype, .f16)
        XCTAssertEqual(f16.shape, [2, 4])
        XCTAssertEqual(f16.halfBits, [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0xFC00, 0x3800, 0x8000])
        let widened = f16.floats()
        XCTAssertEqual(Array(widened[0..<4]), [1, -2, 65504, Float(sign: .plus, exponent: -24, significand: 1)])
        XCTAssertEqual(widened[4], .infinity)
        XCTAssertEqual(widened[5], -.infinity)
        XCTAssertEqual(widened[6], 0.5)
        XCTAssertEqual(widened[7].bitPattern, 0x8000_0000)

        let bf16 = try file.tensor(named: "bf16")
        XCTAssertEqual(bf16.dtype, .bf16)
        XCTAssertEqual(bf16.halfBits, [0x3F80, 0xC000, 0x4049, 0x7F80, 0x0080])
        XCTAssertEqual(bf16.floats(), [1, -2, 3.140625, .infinity, Float.leastNormalMagnitude])
    }

    func testInt64BufferLoadsButCannotBeRead() throws {
        let path = Fixtures.folder.appendingPathComponent("reference.safetensors").path
        let file = try SafetensorsFile(path: path)
        XCTAssertEqual(file.unsupported, ["position_ids": "I64"])
        XCTAssertNil(file.tensors["position_ids"])
        assertInputError(try file.tensor(named: "position_ids"), path: path,
                         mentions: ["tensor position_ids has dtype I64; facecap reads F32, F16, BF16"])
    }

    func testMissingTensorNamesTheFile() throws {
        let path = Fixtures.folder.appendingPathComponent("reference.safetensors").path
        let file = try SafetensorsFile(path: path)
        assertInputError(try file.tensor(named: "vision_model.embeddings.class_embedding"), path: path,
                         mentions: ["missing tensor vision_model.embeddings.class_embedding"])
    }
}
