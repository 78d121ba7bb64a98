import XCTest
@testable import Tensor

/// Every way a header can be wrong gives an InputError naming the file and the specific problem.
final class SafetensorsMalformedTests: XCTestCase {
    private var scratch: Scratch!

    override func setUpWithError() throws { scratch = try Scratch() }
    override func tearDown() { scratch = nil }

    private func file(header: String, data: [UInt8] = [], pad: Bool = true) throws -> String {
        try scratch.write(SafetensorsWriter.assemble(header: header, data: data, pad: pad), to: "\(UUID().uuidString).safetensors")
    }

    private func assertRejected(header: String, data: [UInt8] = [], mentions fragments: [String],
                                line: UInt = #line) throws {
        let path = try file(header: header, data: data)
        assertInputError(try SafetensorsFile(path: path), path: path, mentions: fragments, line: line)
    }

    private func lengthPrefix(_ n: UInt64) -> [UInt8] { (0..<8).map { UInt8((n >> (8 * UInt64($0))) & 0xFF) } }

    // MARK: the length prefix

    func testEmptyFile() throws {
        let path = try scratch.write([], to: "empty.safetensors")
        assertInputError(try SafetensorsFile(path: path), path: path, mentions: ["file is 0 bytes", "too short"])
    }

    func testFileShorterThanLengthPrefix() throws {
        let path = try scratch.write([1, 2, 3, 4, 5], to: "short.safetensors")
        assertInputError(try SafetensorsFile(path: path), path: path, mentions: ["file is 5 bytes", "too short"])
    }

    func testHeaderLengthLargerThanFile() throws {
        let path = try scratch.write(lengthPrefix(64) + Array("{}".utf8), to: "long.safetensors")
        assertInputError(try SafetensorsFile(path: path), path: path,
                         mentions: ["header length 64 runs past the end of the 10-byte file"])
    }

    func testAbsurdHeaderLength() throws {
        let path = try scratch.write(lengthPrefix(1 << 40) + Array("{}".utf8), to: "absurd.safetensors")
        assertInputError(try SafetensorsFile(path: path), path: path, mentions: ["header length 1099511627776 is absurd"])
        let maxPath = try scratch.write(lengthPrefix(UInt64.max), to: "max.safetensors")
        assertInputError(try SafetensorsFile(path: maxPath), path: maxPath, mentions: ["is absurd"])
    }

    func testTruncatedFile() throws {
        let good = SafetensorsWriter.encode([.init(name: "w", dtype: "F32", shape: [4], bytes: Array(repeating: 0, count: 16))])
        let path = try scratch.write(Array(good.dropLast(3)), to: "truncated.safetensors")
        assertInputError(try SafetensorsFile(path: path), path: path,
                         mentions: ["tensor w has data_offsets [0, 16] beyond the 13-byte data section"])
    }

    // MARK: the header as JSON

    func testNonJSONHeader() throws {
        try assertRejected(header: "this is not json", mentions: ["header is not valid JSON"])
        try assertRejected(header: #"{"w": {"dtype": "F32",}"#, mentions: ["header is not valid JSON"])
        try assertRejected(header: "", mentions: ["header is not valid JSON", "unexpected end"])
    }

    func testHeaderThatIsNotUTF8() throws {
        let path = try scratch.write(lengthPrefix(4) + [0x7B, 0xFF, 0xFE, 0x7D], to: "latin.safetensors")
        assertInputError(try SafetensorsFile(path: path), path: path, mentions: ["header is not UTF-8"])
    }

    func testHeaderThatIsNotAnObject() throws {
        try assertRejected(header: "[1, 2]", mentions: ["header is an array, not a JSON object"])
        try assertRejected(header: "\"x\"", mentions: ["header is a string, not a JSON object"])
    }

    func testDeeplyNestedHeaderIsRejectedNotACrash() throws {
        let depth = 200_000
        try assertRejected(header: String(repeating: "[", count: depth) + String(repeating: "]", count: depth),
                           mentions: ["nested deeper than"])
        try assertRejected(header: #"{"w":"# + String(repeating: #"{"a":"#, count: depth),
                           mentions: ["nested deeper than"])
    }

    func testDuplicateTensorName() throws {
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}"#,
                           mentions: [#"duplicate key "w""#])
    }

    func testMetadataMustMapStringsToStrings() throws {
        try assertRejected(header: #"{"__metadata__":{"format":"pt","total":3}}"#,
                           mentions: [#"__metadata__ entry "total" is a number, not a string"#])
        try assertRejected(header: #"{"__metadata__":["pt"]}"#, mentions: ["__metadata__ is an array"])
    }

    // MARK: each tensor entry

    func testEntryThatIsNotAnObject() throws {
        try assertRejected(header: #"{"w":[1,2]}"#, mentions: ["tensor w: header entry is an array, not an object"])
    }

    func testMissingOrInvalidDType() throws {
        try assertRejected(header: #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0],
                           mentions: ["tensor w has no dtype"])
        try assertRejected(header: #"{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0],
                           mentions: ["tensor w has dtype a number"])
    }

    func testBadShapes() throws {
        try assertRejected(header: #"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, data: [0, 0, 0, 0],
                           mentions: ["tensor w has no shape"])
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":4,"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0],
                           mentions: ["tensor w has shape that is a number"])
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0],
                           mentions: ["tensor w has a shape entry that is not a non-negative integer"])
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0],
                           mentions: ["tensor w has a shape entry that is not a non-negative integer"])
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}"#,
                           data: [0, 0, 0, 0], mentions: ["tensor w has a shape entry that is not a non-negative integer"])
    }

    func testShapeProductOverflow() throws {
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[4611686018427387904,4611686018427387904],"data_offsets":[0,4]}}"#,
                           data: [0, 0, 0, 0], mentions: ["tensor w has shape [4611686018427387904, 4611686018427387904] too large to address"])
        // Item size times an in-range element count can overflow too.
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,4]}}"#,
                           data: [0, 0, 0, 0], mentions: ["too large to address"])
    }

    func testBadDataOffsets() throws {
        let data: [UInt8] = Array(repeating: 0, count: 8)
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[2]}}"#, data: data,
                           mentions: ["tensor w has no data_offsets"])
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}}"#, data: data,
                           mentions: ["tensor w has data_offsets that are not two non-negative integers"])
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":["0","8"]}}"#, data: data,
                           mentions: ["not two non-negative integers"])
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}"#, data: data,
                           mentions: ["not two non-negative integers"])
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, data: data,
                           mentions: ["tensor w has data_offsets [8, 0] that end before they begin"])
    }

    func testShapeTimesItemSizeMismatch() throws {
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#,
                           data: Array(repeating: 0, count: 16),
                           mentions: ["tensor w has shape [2, 2] of F32 (16 bytes) but data_offsets [0, 12] span 12 bytes"])
        // Types facecap does not read are still checked, so their ranges can be trusted.
        try assertRejected(header: #"{"position_ids":{"dtype":"I64","shape":[2],"data_offsets":[0,8]}}"#,
                           data: Array(repeating: 0, count: 16),
                           mentions: ["tensor position_ids has shape [2] of I64 (16 bytes) but data_offsets [0, 8] span 8 bytes"])
    }

    func testLyingHeaderPointsPastTheFile() throws {
        try assertRejected(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#,
                           data: Array(repeating: 0, count: 8),
                           mentions: ["tensor w has data_offsets [0, 16] beyond the 8-byte data section"])
        try assertRejected(header: #"{"w":{"dtype":"BF16","shape":[1],"data_offsets":[9223372036854775805,9223372036854775807]}}"#,
                           data: [0, 0], mentions: ["beyond the 2-byte data section"])
    }

    func testOverlappingTensors() throws {
        try assertRejected(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                           data: Array(repeating: 0, count: 12),
                           mentions: ["tensors a and b overlap: data_offsets [0, 8] and [4, 12]"])
        // One tensor inside another, listed the other way round.
        try assertRejected(header: #"{"big":{"dtype":"F16","shape":[8],"data_offsets":[0,16]},"a":{"dtype":"F16","shape":[2],"data_offsets":[4,8]}}"#,
                           data: Array(repeating: 0, count: 16), mentions: ["tensors big and a overlap"])
    }

    func testEmptyTensorsMayShareAnOffsetAndGapsAreTolerated() throws {
        let path = try file(header: #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"c":{"dtype":"F16","shape":[0,3],"data_offsets":[4,4]}}"#,
                            data: [9, 9, 9, 9, 0, 0, 0x80, 0x3F])
        let file = try SafetensorsFile(path: path)
        XCTAssertEqual(try file.tensor(named: "b").floats(), [1])
        XCTAssertEqual(try file.tensor(named: "c").count, 0)
    }

    func testUnknownDTypeLoadsButCannotBeRead() throws {
        let path = try file(header: #"{"q":{"dtype":"Q4_K","shape":[3],"data_offsets":[0,2]},"w":{"dtype":"F16","shape":[1],"data_offsets":[2,4]}}"#,
                            data: [1, 2, 0x00, 0x3C])
        let file = try SafetensorsFile(path: path)
        XCTAssertEqual(file.unsupported, ["q": "Q4_K"])
        XCTAssertEqual(try file.tensor(named: "w").floats(), [1])
        assertInputError(try file.tensor(named: "q"), path: path, mentions: ["tensor q has dtype Q4_K; facecap reads F32, F16, BF16"])
    }
}
