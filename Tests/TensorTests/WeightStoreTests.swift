import Foundation
import XCTest
@testable import Tensor

final class WeightStoreTests: XCTestCase {
    private var scratch: Scratch!

    override func setUpWithError() throws { scratch = try Scratch() }
    override func tearDown() { scratch = nil }

    private func folder(_ name: String) throws -> URL {
        let url = scratch.url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func entry(_ name: String, _ values: [Float], shape: [Int]? = nil, dtype: DType = .f32) -> SafetensorsWriter.Entry {
        .init(TensorView.make(name: name, dtype: dtype, shape: shape ?? [values.count], floats: values))
    }

    private func copyShardedFixture(to name: String) throws -> URL {
        let dir = scratch.url.appendingPathComponent(name)
        try FileManager.default.copyItem(at: Fixtures.folder.appendingPathComponent("sharded"), to: dir)
        return dir
    }

    // MARK: layouts

    func testShardedIndexWrittenByReferenceLibrary() throws {
        let store = try WeightStore(directory: Fixtures.folder.appendingPathComponent("sharded"))
        XCTAssertEqual(store.names, ["decoder.bias", "decoder.weight", "encoder.weight"])
        XCTAssertEqual(store.files.count, 2)
        XCTAssertEqual(try store.tensor("encoder.weight").floats(), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try store.tensor("decoder.weight").halfBits, [0x3800, 0xB400])
        XCTAssertEqual(try store.tensor("decoder.bias").halfBits, [0x3F80])
        XCTAssertTrue(store.path(of: "decoder.bias").hasSuffix("model-00002-of-00002.safetensors"))
        // 2x3 F32 + 2 F16 + 1 BF16, as the index's total_size says.
        XCTAssertEqual(store.totalBytes, 30)
        XCTAssertTrue(store.contains("encoder.weight"))
        XCTAssertFalse(store.contains("encoder.bias"))
    }

    func testSingleFileWithUnsupportedBuffer() throws {
        let dir = try folder("single")
        try FileManager.default.copyItem(at: Fixtures.folder.appendingPathComponent("reference.safetensors"),
                                         to: dir.appendingPathComponent("model.safetensors"))
        let store = try WeightStore(directory: dir)
        XCTAssertEqual(store.names, ["bf16", "f16", "f32", "position_ids"])
        XCTAssertEqual(store.unsupported, ["position_ids": "I64"])
        XCTAssertTrue(store.contains("position_ids"))
        assertInputError(try store.tensor("position_ids"), path: dir.appendingPathComponent("model.safetensors").path,
                         mentions: ["tensor position_ids has dtype I64"])
    }

    func testSingleFileWinsOverIndexAsInTransformers() throws {
        let dir = try copyShardedFixture(to: "both")
        try SafetensorsWriter.write(tensors: [entry("only.here", [7])], to: dir.appendingPathComponent("model.safetensors"))
        let store = try WeightStore(directory: dir)
        XCTAssertEqual(store.names, ["only.here"])
    }

    func testFallsBackToEverySafetensorsFile() throws {
        let dir = try folder("loose")
        try SafetensorsWriter.write(tensors: [entry("a", [1])], to: dir.appendingPathComponent("part-b.safetensors"))
        try SafetensorsWriter.write(tensors: [entry("b", [2, 3])], to: dir.appendingPathComponent("part-a.safetensors"))
        _ = try scratch.write("{}", to: "loose/config.json")
        let store = try WeightStore(directory: dir)
        XCTAssertEqual(store.names, ["a", "b"])
        XCTAssertEqual(try store.tensor("b").floats(), [2, 3])
        XCTAssertEqual(store.files.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["part-a.safetensors", "part-b.safetensors"])
    }

    func testFallbackRejectsTheSameTensorInTwoFiles() throws {
        let dir = try folder("dup")
        try SafetensorsWriter.write(tensors: [entry("a", [1])], to: dir.appendingPathComponent("x.safetensors"))
        try SafetensorsWriter.write(tensors: [entry("a", [2])], to: dir.appendingPathComponent("y.safetensors"))
        assertInputError(try WeightStore(directory: dir), path: dir.appendingPathComponent("y.safetensors").path,
                         mentions: ["tensor a also appears in", "x.safetensors"])
    }

    func testPyTorchBinFolders() throws {
        let pytorch = PyTorchCheckpointTests.folder
        let single = try folder("single-bin")
        try FileManager.default.copyItem(at: pytorch.appendingPathComponent("bare.pt"), to: single.appendingPathComponent("pytorch_model.bin"))
        let one = try WeightStore(directory: single)
        XCTAssertEqual(one.names, ["a", "b"])
        XCTAssertTrue(one.files.first is PyTorchCheckpoint)

        // How facebook/opt-6.7b ships: .bin shards and pytorch_model.bin.index.json.
        let sharded = try folder("sharded-bin")
        try FileManager.default.copyItem(at: pytorch.appendingPathComponent("bare.pt"), to: sharded.appendingPathComponent("pytorch_model-00001-of-00002.bin"))
        try FileManager.default.copyItem(at: pytorch.appendingPathComponent("state_dict.pth"), to: sharded.appendingPathComponent("pytorch_model-00002-of-00002.bin"))
        try scratch.write(#"{"metadata": {}, "weight_map": {"a": "pytorch_model-00001-of-00002.bin", "b": "pytorch_model-00001-of-00002.bin", "module.fc.weight": "pytorch_model-00002-of-00002.bin"}}"#,
                          to: "sharded-bin/pytorch_model.bin.index.json")
        let store = try WeightStore(directory: sharded)
        XCTAssertEqual(store.names, ["a", "b", "module.fc.weight"])
        XCTAssertEqual(try store.tensor("module.fc.weight").floats(), [1, 0, 0, 1])
        XCTAssertTrue(store.path(of: "module.fc.weight").hasSuffix("pytorch_model-00002-of-00002.bin"))
        XCTAssertEqual(store.fingerprint, try WeightStore(directory: sharded).fingerprint)
        XCTAssertNotEqual(store.fingerprint, one.fingerprint)

        try FileManager.default.removeItem(at: sharded.appendingPathComponent("pytorch_model-00002-of-00002.bin"))
        assertInputError(try WeightStore(directory: sharded), path: sharded.appendingPathComponent("pytorch_model-00002-of-00002.bin").path,
                         mentions: ["no such file", "pytorch_model.bin.index.json lists it as a shard"])
    }

    func testFolderWithoutWeights() throws {
        let dir = try folder("nothing")
        assertInputError(try WeightStore(directory: dir), path: dir.path,
                         mentions: ["no model.safetensors, model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json or *.safetensors files"])
        let missing = scratch.url.appendingPathComponent("absent")
        assertInputError(try WeightStore(directory: missing), path: missing.path, mentions: ["no such directory"])
        let plain = URL(fileURLWithPath: try scratch.write([1], to: "plain"))
        assertInputError(try WeightStore(directory: plain), path: plain.path, mentions: ["not a model directory"])
    }

    func testHuggingFaceCacheSymlinksAreFollowed() throws {
        // snapshots/<rev>/model.safetensors -> ../../blobs/<hash>, as huggingface_hub lays them out.
        let blobs = try folder("hub/blobs")
        let snapshot = try folder("hub/snapshots/abc123")
        try SafetensorsWriter.write(tensors: [entry("w", [4])], to: blobs.appendingPathComponent("0123abcd"))
        try FileManager.default.createSymbolicLink(atPath: snapshot.appendingPathComponent("model.safetensors").path,
                                                   withDestinationPath: "../../blobs/0123abcd")
        XCTAssertEqual(try WeightStore(directory: snapshot).tensor("w").floats(), [4])
    }

    // MARK: index problems

    private func writeIndex(_ json: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("model.safetensors.index.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testIndexShardOutsideTheFolderIsRejected() throws {
        let dir = try copyShardedFixture(to: "escape")
        for shard in ["../model-00001-of-00002.safetensors", "/etc/passwd", "sub/../../x.safetensors", "", "./a"] {
            let index = try writeIndex(#"{"weight_map":{"encoder.weight":"\#(shard)"}}"#, in: dir)
            assertInputError(try WeightStore(directory: dir), path: index, mentions: ["outside the model folder"])
        }
    }

    func testIndexNamesAMissingShard() throws {
        let dir = try copyShardedFixture(to: "missing-shard")
        _ = try writeIndex(#"{"weight_map":{"encoder.weight":"model-00001-of-00002.safetensors","decoder.weight":"gone.safetensors"}}"#, in: dir)
        assertInputError(try WeightStore(directory: dir), path: dir.appendingPathComponent("gone.safetensors").path,
                         mentions: ["no such file", "model.safetensors.index.json lists it"])
    }

    func testIndexPutsTensorInTheWrongShard() throws {
        let dir = try copyShardedFixture(to: "wrong-shard")
        _ = try writeIndex(#"{"weight_map":{"encoder.weight":"model-00002-of-00002.safetensors"}}"#, in: dir)
        assertInputError(try WeightStore(directory: dir), path: dir.appendingPathComponent("model-00002-of-00002.safetensors").path,
                         mentions: ["puts tensor encoder.weight in this shard, but the shard has no such tensor"])
    }

    func testMalformedIndex() throws {
        let dir = try copyShardedFixture(to: "bad-index")
        var index = try writeIndex("{\"weight_map\": ", in: dir)
        assertInputError(try WeightStore(directory: dir), path: index, mentions: ["not valid JSON"])
        index = try writeIndex(#"{"metadata":{}}"#, in: dir)
        assertInputError(try WeightStore(directory: dir), path: index, mentions: ["has no weight_map"])
        index = try writeIndex(#"{"weight_map":{}}"#, in: dir)
        assertInputError(try WeightStore(directory: dir), path: index, mentions: ["weight_map is empty"])
        index = try writeIndex(#"{"weight_map":{"encoder.weight":1}}"#, in: dir)
        assertInputError(try WeightStore(directory: dir), path: index, mentions: ["weight_map entry for encoder.weight is a number"])
        index = try writeIndex(#"[]"#, in: dir)
        assertInputError(try WeightStore(directory: dir), path: index, mentions: ["is an array, not a JSON object"])
    }

    func testCorruptShardIsReportedByName() throws {
        let dir = try copyShardedFixture(to: "corrupt-shard")
        let shard = dir.appendingPathComponent("model-00002-of-00002.safetensors")
        let bytes = try Data(contentsOf: shard)
        try bytes.prefix(bytes.count - 1).write(to: shard)
        assertInputError(try WeightStore(directory: dir), path: shard.path, mentions: ["beyond the 5-byte data section"])
    }

    // MARK: lookups

    func testShapeMismatchNamesFileAndBothShapes() throws {
        let dir = try folder("vit")
        let name = "vision_model.embeddings.patch_embedding.weight"
        try SafetensorsWriter.write(tensors: [entry(name, Array(repeating: 0, count: 32 * 3 * 8 * 8), shape: [32, 3, 8, 8], dtype: .f16)],
                                    to: dir.appendingPathComponent("model.safetensors"))
        let store = try WeightStore(directory: dir)
        XCTAssertEqual(try store.tensor(name, shape: [32, 3, 8, 8]).shape, [32, 3, 8, 8])
        assertInputError(try store.tensor(name, shape: [32, 3, 16, 16]), path: dir.appendingPathComponent("model.safetensors").path,
                         mentions: ["tensor \(name) has shape [32, 3, 8, 8] but config.json implies [32, 3, 16, 16]"])
    }

    func testMissingTensorNamesTheFolder() throws {
        let dir = Fixtures.folder.appendingPathComponent("sharded")
        let store = try WeightStore(directory: dir)
        assertInputError(try store.tensor("qformer.bert.embeddings.LayerNorm.weight"), path: dir.path,
                         mentions: ["missing tensor qformer.bert.embeddings.LayerNorm.weight"])
        assertInputError(try store.tensor("nope", shape: [1]), path: dir.path, mentions: ["missing tensor nope"])
    }

    func testInMemoryWeights() throws {
        let w = TensorView.make(name: "w", dtype: .bf16, shape: [2, 2], floats: [1, 2, 3, 4])
        let b = TensorView.make(name: "b", dtype: .f32, shape: [2], floats: [0.5, -0.5])
        let store = WeightStore(tensors: ["w": w, "b": b])
        XCTAssertNil(store.directory)
        XCTAssertEqual(store.names, ["b", "w"])
        XCTAssertEqual(store.totalBytes, 8 + 8)
        XCTAssertEqual(try store.tensor("w", shape: [2, 2]).floats(), [1, 2, 3, 4])
        assertInputError(try store.tensor("w", shape: [4]), path: "<memory>", mentions: ["has shape [2, 2] but config.json implies [4]"])
    }

    // MARK: fingerprint

    func testFingerprintIsContentIdentity() throws {
        let one = try copyShardedFixture(to: "one")
        let two = try copyShardedFixture(to: "two")
        let a = try WeightStore(directory: one).fingerprint
        XCTAssertEqual(a.count, 16)
        XCTAssertEqual(a, try WeightStore(directory: one).fingerprint, "reopening gives the same identity")
        XCTAssertEqual(a, try WeightStore(directory: two).fingerprint, "the folder's location is not part of the identity")

        // One weight changed: 0x3800 (0.5) -> 0x3801 in the last shard's data.
        let shard = two.appendingPathComponent("model-00002-of-00002.safetensors")
        var bytes = [UInt8](try Data(contentsOf: shard))
        let offset: Int = try {
            let file = try SafetensorsFile(path: shard.path)
            return UnsafeRawPointer(try file.tensor(named: "decoder.weight").data) - file.file.bytes.baseAddress!
        }()
        XCTAssertEqual(bytes[offset], 0x00)
        bytes[offset] = 0x01
        try Data(bytes).write(to: shard)
        XCTAssertNotEqual(a, try WeightStore(directory: two).fingerprint)
    }

    func testFingerprintSamplesTheEndsOfLargeFiles() throws {
        let count = 1 << 20 // 4 MiB of F32: the middle is not sampled
        let dir = try folder("large")
        let url = dir.appendingPathComponent("model.safetensors")
        let values = [Float](repeating: 1, count: count)
        try SafetensorsWriter.write(tensors: [entry("w", values)], to: url)
        let base = try WeightStore(directory: dir).fingerprint

        var bytes = [UInt8](try Data(contentsOf: url))
        let dataStart = bytes.count - 4 * count
        func fingerprint(flipping offset: Int) throws -> String {
            bytes[dataStart + offset] ^= 0xFF
            defer { bytes[dataStart + offset] ^= 0xFF }
            try Data(bytes).write(to: url)
            return try WeightStore(directory: dir).fingerprint
        }
        XCTAssertNotEqual(try fingerprint(flipping: 10), base, "first MiB is hashed")
        XCTAssertNotEqual(try fingerprint(flipping: 4 * count - 10), base, "last MiB is hashed")
        XCTAssertEqual(try fingerprint(flipping: 2 * count), base, "the middle is deliberately not read")
    }

    func testInMemoryFingerprintDependsOnNamesShapesAndValues() {
        func store(_ name: String, _ shape: [Int], _ values: [Float], _ dtype: DType = .f32) -> String {
            WeightStore(tensors: [name: TensorView.make(name: name, dtype: dtype, shape: shape, floats: values)]).fingerprint
        }
        let base = store("w", [2, 2], [1, 2, 3, 4])
        XCTAssertEqual(base, store("w", [2, 2], [1, 2, 3, 4]))
        XCTAssertNotEqual(base, store("v", [2, 2], [1, 2, 3, 4]))
        XCTAssertNotEqual(base, store("w", [4], [1, 2, 3, 4]))
        XCTAssertNotEqual(base, store("w", [2, 2], [1, 2, 3, 5]))
        XCTAssertNotEqual(base, store("w", [2, 2], [1, 2, 3, 4], .bf16))
    }
}
