import XCTest
@testable import Tensor

/// In-memory tensors -> SafetensorsWriter -> SafetensorsFile, checked against known bit patterns.
final class SafetensorsRoundTripTests: XCTestCase {
    func testMakeNarrowsToKnownBitPatterns() {
        let subnormal = Float(sign: .plus, exponent: -24, significand: 1)
        let f16 = TensorView.make(name: "h", dtype: .f16, shape: [5], floats: [1, -2, subnormal, 1e6, .infinity])
        XCTAssertEqual(f16.halfBits, [0x3C00, 0xC000, 0x0001, 0x7C00, 0x7C00])

        // 1 + 2^-8 and 1 + 3*2^-8 sit exactly between two bf16 values: ties go to the even one.
        let bf16 = TensorView.make(name: "b", dtype: .bf16, shape: [4], floats: [1, 1.00390625, 1.01171875, -.infinity])
        XCTAssertEqual(bf16.halfBits, [0x3F80, 0x3F80, 0x3F82, 0xFF80])

        let f32 = TensorView.make(name: "f", dtype: .f32, shape: [2], floats: [1, -0.0])
        XCTAssertEqual(f32.floatBits, [0x3F80_0000, 0x8000_0000])
    }

    func testRoundTripOfAllDTypes() throws {
        let scratch = try Scratch()
        let values: [Float] = [1, -2, 0.5, 1024, -0.25, 3.140625]
        let originals = [
            TensorView.make(name: "vision_model.post_layernorm.weight", dtype: .f32, shape: [2, 3], floats: values),
            TensorView.make(name: "qformer.layernorm.weight", dtype: .f16, shape: [3, 2], floats: values),
            TensorView.make(name: "language_model.lm_head.weight", dtype: .bf16, shape: [6], floats: values),
            TensorView.make(name: "empty", dtype: .f32, shape: [0, 4], floats: []),
        ]
        let url = scratch.url.appendingPathComponent("model.safetensors")
        try SafetensorsWriter.write(tensors: originals.map(SafetensorsWriter.Entry.init),
                                    metadata: ["format": "pt", "quote\"and\\slash": "line\nbreak"], to: url)
        let file = try SafetensorsFile(path: url.path)
        XCTAssertEqual(file.metadata, ["format": "pt", "quote\"and\\slash": "line\nbreak"])
        XCTAssertEqual(file.names, originals.map(\.name).sorted())
        for original in originals {
            let read = try file.tensor(named: original.name)
            XCTAssertEqual(read.dtype, original.dtype)
            XCTAssertEqual(read.shape, original.shape)
            XCTAssertEqual(Array(read.rawBytes), Array(original.rawBytes))
            XCTAssertTrue(read.owner === file.file, "view should point into the mapping, not a copy")
        }
        // All six values are exact in every type.
        XCTAssertEqual(try file.tensor(named: "qformer.layernorm.weight").floats(), values)
        XCTAssertEqual(try file.tensor(named: "language_model.lm_head.weight").floats(), values)
        XCTAssertEqual(try file.tensor(named: "empty").count, 0)
    }

    func testMisalignedTensorIsCopiedToAlignedMemory() throws {
        // An unpadded header leaves the data section at an odd address: F32 loads there
        // would be misaligned, so the reader must copy.
        let scratch = try Scratch()
        let bits: [UInt32] = [0x3F80_0000, 0x4000_0000, 0xBF80_0000]
        let header = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#
        XCTAssertNotEqual((8 + header.utf8.count) % 4, 0, "test needs a header that misaligns the data")
        let path = try scratch.write(SafetensorsWriter.assemble(header: header, data: bits.littleEndianBytes(), pad: false),
                                     to: "odd.safetensors")
        let file = try SafetensorsFile(path: path)
        let view = try file.tensor(named: "w")
        XCTAssertEqual(Int(bitPattern: view.data) % 4, 0)
        XCTAssertFalse(view.owner === file.file)
        XCTAssertEqual(view.floats(), [1, 2, -1])
    }

    func testHeaderWithUnicodeEscapesAndUnknownFields() throws {
        let scratch = try Scratch()
        // "\u00e9" and a surrogate pair for U+1F600, extra fields the reader must ignore.
        let header = #"{"caf\u00e9.\ud83d\ude00":{"dtype":"BF16","shape":[1],"data_offsets":[0,2],"extra":[1.5,null,true]}}"#
        let path = try scratch.write(SafetensorsWriter.assemble(header: header, data: [0x80, 0x3F]), to: "u.safetensors")
        let file = try SafetensorsFile(path: path)
        XCTAssertEqual(file.names, ["café.😀"])
        XCTAssertEqual(try file.tensor(named: "café.😀").floats(), [1])
    }

    func testWriterOutputMatchesReferenceLayout() throws {
        // The writer pads the header with spaces to a multiple of 8, as the reference library does.
        let bytes = SafetensorsWriter.encode([.init(name: "a", dtype: "F16", shape: [1], bytes: [0x00, 0x3C])])
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        XCTAssertEqual(headerLength % 8, 0)
        XCTAssertEqual(bytes.count, 8 + headerLength + 2)
        XCTAssertEqual(Array(bytes.suffix(2)), [0x00, 0x3C])
    }
}
