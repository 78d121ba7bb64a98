import Foundation
import XCTest
import Faces
import Tensor
@testable import Captioning

/// The published formats, end to end: LAVIS `.pth` image sides and an OPT in `.bin` shards named
/// `decoder.*` (Tests/Fixtures/lavis, made by Training/make_lavis_fixtures.py with transformers,
/// post_layernorm eps 1e-5 as LAVIS's ln_vision).
final class LavisCheckpointTests: XCTestCase {
    static let root = ParityFixture.root.deletingLastPathComponent().appendingPathComponent("lavis")
    static let opt = root.appendingPathComponent("opt")
    static let expBlip = root.appendingPathComponent("exp-blip-f32")
    static let auBlip = root.appendingPathComponent("au-blip-f16vit")
    static let tolerance: Float = 1e-4

    struct Reference {
        let json: [String: Any]
        let tensors: SafetensorsFile
        init(_ folder: URL) throws {
            json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("reference.json"))) as! [String: Any]
            tensors = try SafetensorsFile(path: folder.appendingPathComponent("reference.safetensors").path)
        }
        func floats(_ name: String) throws -> [Float] { try tensors.tensor(named: name).floats() }
        var cases: [[String: Any]] { json["generation"] as! [[String: Any]] }
        func ids(_ c: [String: Any]) -> [Int] { (c["new_ids"] as! [NSNumber]).map(\.intValue) }
        var eos: Int { (json["eos_token_id"] as! NSNumber).intValue }
    }

    /// Hidden states, logits and the ids of every recorded decoding, for one loaded captioner.
    func assertMatches(_ captioner: Blip2Captioner, _ reference: Reference, _ label: String) throws {
        let image = try PNGDecoder.decode(contentsOf: ParityFixture.testPNG)
        let pixels = captioner.preprocessor.pixelValues(image)
        XCTAssertLessThan(maxAbsDiff(pixels, try reference.floats("pixel_values")).value, Self.tolerance, "\(label) pixels")
        let encoding = try captioner.model.encode(pixelValues: pixels)
        for (name, ours) in [("vision_last_hidden_state", encoding.visionHiddenState),
                             ("qformer_last_hidden_state", encoding.qformerHiddenState),
                             ("projected_queries", encoding.projectedQueries)] {
            let diff = maxAbsDiff(ours, try reference.floats(name))
            print("lavis parity \(label) \(name) max abs diff \(diff.value)")
            XCTAssertLessThan(diff.value, Self.tolerance, "\(label) \(name) differs by \(diff.value) at \(diff.index)")
        }
        let input = captioner.model.languageInput(projectedQueries: encoding.projectedQueries, promptIDs: [])
        let logits = captioner.model.logits(embeddings: input.embeddings, rows: input.inputIDs.count)
        let diff = maxAbsDiff(logits, try reference.floats("logits"))
        print("lavis parity \(label) logits max abs diff \(diff.value)")
        XCTAssertLessThan(diff.value, Self.tolerance, "\(label) logits")

        for c in reference.cases {
            let settings = DecodingSettings(generateKwargs: c["generate_kwargs"] as! [String: Any])
            let result = try captioner.caption(image, settings: settings) { _ in true }
            XCTAssertEqual(result.tokenIDs.first, reference.ids(c), "\(label) \(c["name"]!)")
        }
        // The authors' decoding is the default: beam 5, 200 new tokens at most, stop at "\n".
        let beam = reference.cases.first { ($0["name"] as? String) == "authors_beam5" }!
        let byDefault = try captioner.caption(image, settings: captioner.defaultSettings) { _ in true }
        XCTAssertEqual(byDefault.tokenIDs.first, reference.ids(beam), "\(label) default settings")
    }

    func testExpBlipFolderWithFacecapJSONMatchesTransformers() throws {
        let captioner = try CaptionerLoader().load(Self.expBlip)
        XCTAssertEqual(captioner.name, "exp-blip-f32")
        let reference = try Reference(Self.expBlip)
        XCTAssertEqual(captioner.defaultSettings.numBeams, 5)
        XCTAssertEqual(captioner.defaultSettings.maxNewTokens, 200)
        XCTAssertEqual(captioner.defaultSettings.minNewTokens, 1)
        XCTAssertEqual(captioner.eosTokenIDs, [reference.eos])
        XCTAssertEqual(captioner.model.vision.postLayerNorm.eps, 1e-5)
        try assertMatches(captioner, reference, "exp-blip-f32")
    }

    func testHalfViTWithItsOwnOPTAndWithTheSharedOne() throws {
        let reference = try Reference(Self.auBlip)
        let file = Self.auBlip.appendingPathComponent("tiny_au_blip.pth")
        let store = try WeightStore(file: file)
        XCTAssertEqual(store.unsupported["Qformer.bert.embeddings.position_ids"], "I64")
        XCTAssertEqual(try store.tensor("visual_encoder.blocks.0.attn.qkv.weight").dtype, .f16)
        XCTAssertEqual(try store.tensor("visual_encoder.blocks.0.norm1.weight").dtype, .f32)
        // The checkpoint's own opt_model.* (no --language-model): tokenizer and config beside it.
        try assertMatches(try CaptionerLoader().load(file), reference, "au-blip own OPT")
        try assertMatches(try CaptionerLoader().load(Self.auBlip, languageModel: Self.opt), reference, "au-blip shared OPT")
    }

    func testTwoLavisModelsShareOneLanguageModel() throws {
        let loader = CaptionerLoader()
        let exp = try loader.load(Self.expBlip)
        let au = try loader.load(Self.auBlip, languageModel: Self.opt)
        XCTAssertTrue(exp.model.language === au.model.language)
        XCTAssertEqual(loader.languageModelCount, 1)
        XCTAssertNotEqual(exp.identity, au.identity)
        XCTAssertEqual(exp.identity, try CaptionerLoader().load(Self.expBlip).identity, "identity is stable")
        XCTAssertEqual(CaptionerLoader.modelFolders(in: Self.root).map(\.lastPathComponent), ["au-blip-f16vit", "exp-blip-f32"])
    }

    func testSanitizeRenamesFusesAndDrops() throws {
        let store = try WeightStore(file: Self.expBlip.appendingPathComponent("tiny_exp_blip.pth"))
        let tensors = try LavisNames.sanitize(store)
        let q = try store.tensor("visual_encoder.blocks.1.attn.q_bias").floats()
        let v = try store.tensor("visual_encoder.blocks.1.attn.v_bias").floats()
        XCTAssertEqual(tensors["vision_model.encoder.layers.1.self_attn.qkv.bias"]?.floats(), q + [Float](repeating: 0, count: q.count) + v)
        XCTAssertEqual(tensors["vision_model.post_layernorm.weight"]?.data, try store.tensor("ln_vision.weight").data, "renamed in place, not copied")
        XCTAssertFalse(tensors.keys.contains { $0.contains("position_ids") || $0.contains("word_embeddings") || $0.hasPrefix("Qformer") })
        XCTAssertNil(tensors["qformer.encoder.layer.0.intermediate.dense.weight"])
        XCTAssertNotNil(tensors["qformer.encoder.layer.0.intermediate_query.dense.weight"])
        XCTAssertEqual(LavisNames.lavisName("vision_model.encoder.layers.3.mlp.fc2.bias"), "visual_encoder.blocks.3.mlp.fc2.bias")
        XCTAssertEqual(LavisNames.lavisName("qformer.encoder.layer.2.crossattention.attention.key.weight"),
                       "Qformer.bert.encoder.layer.2.crossattention.self.key.weight")
    }

    /// What the published Exp-BLIP's shapes imply, read with no config.json: ViT-g, BERT-base Q-Former.
    func testArchitectureOfThePublishedShapes() throws {
        var config = try JSONDecoder().decode(Blip2Config.self, from: Data("{}".utf8))
        config.textConfig.hiddenSize = 4096
        config.textConfig.numAttentionHeads = 32
        let layout = CheckpointLayout.tensors(for: config, includeLanguageModel: false)
        let dummy = TensorStorage(byteCount: 4)
        let tensors = Dictionary(uniqueKeysWithValues: layout.map {
            ($0.name, TensorView(name: $0.name, dtype: .f32, shape: $0.shape, data: UnsafeRawPointer(dummy.bytes.baseAddress!), owner: dummy))
        })
        let inferred = try LavisArchitecture.infer(tensors, text: config.textConfig, origin: "exp_blip.pth")
        let v = inferred.visionConfig, q = inferred.qformerConfig
        XCTAssertEqual([v.hiddenSize, v.numHiddenLayers, v.numAttentionHeads, v.intermediateSize, v.imageSize, v.patchSize],
                       [1408, 39, 16, 6144, 224, 14])
        XCTAssertEqual([q.hiddenSize, q.numHiddenLayers, q.numAttentionHeads, q.intermediateSize, q.crossAttentionFrequency, inferred.numQueryTokens],
                       [768, 12, 12, 3072, 2, 32])
        XCTAssertEqual(v.postLayerNormEps, 1e-5)
        XCTAssertEqual(v.layerNormEps, 1e-6)
        var odd = tensors
        odd["vision_model.embeddings.class_embedding"] = TensorView(name: "c", dtype: .f32, shape: [1, 1, 1000], data: UnsafeRawPointer(dummy.bytes.baseAddress!), owner: dummy)
        XCTAssertThrowsError(try LavisArchitecture.infer(odd, text: config.textConfig, origin: "odd.pth")) { error in
            XCTAssertTrue("\(error)".contains("width 1000 has no preset"), "\(error)")
        }
    }

    // MARK: bad input

    func testMissingAndMisshapenTensorsAreListedUnderLavisNames() throws {
        let file = Self.expBlip.appendingPathComponent("tiny_exp_blip.pth")
        let store = try WeightStore(file: file)
        var tensors = try LavisNames.sanitize(store)
        let config = try Blip2Config.load(Self.expBlip.appendingPathComponent("config.json"))
        tensors["vision_model.post_layernorm.weight"] = nil
        tensors["vision_model.encoder.layers.1.self_attn.qkv.bias"] = nil
        XCTAssertThrowsError(try LavisModel.checkComplete(tensors, config: config, includeLanguageModel: false, file: file, source: "config.json")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(file.path + ": lacks 2 of the"), text)
            XCTAssertTrue(text.contains("ln_vision.weight"), text)
            XCTAssertTrue(text.contains("visual_encoder.blocks.1.attn.q_bias + visual_encoder.blocks.1.attn.v_bias"), text)
        }
        var misshapen = try LavisNames.sanitize(store)
        let proj = misshapen["language_projection.weight"]!
        misshapen["language_projection.weight"] = TensorView(name: proj.name, dtype: proj.dtype, shape: [proj.shape[1], proj.shape[0]], data: proj.data, owner: proj.owner)
        XCTAssertThrowsError(try LavisModel.checkComplete(misshapen, config: config, includeLanguageModel: false, file: file, source: "config.json")) { error in
            XCTAssertTrue("\(error)".contains("tensor opt_proj.weight has shape [16, 32] but config.json implies [32, 16]"), "\(error)")
        }
    }

    func testCheckpointWithoutAnOPTNeedsTheLanguageModel() throws {
        let file = Self.expBlip.appendingPathComponent("tiny_exp_blip.pth")
        let lone = FileManager.default.temporaryDirectory.appendingPathComponent("lavis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: lone, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: lone) }
        try FileManager.default.copyItem(at: file, to: lone.appendingPathComponent("x.pth"))
        XCTAssertThrowsError(try CaptionerLoader().load(lone.appendingPathComponent("x.pth"))) { error in
            XCTAssertEqual((error as? InputError)?.path, lone.appendingPathComponent("x.pth").path)
            XCTAssertTrue("\(error)".contains("holds no OPT weights (opt_model.*); give --language-model"), "\(error)")
        }
        // Not a LAVIS checkpoint at all: says which anchor tensors are missing.
        let other = Self.root.deletingLastPathComponent().appendingPathComponent("pytorch/bare.pt")
        XCTAssertThrowsError(try CaptionerLoader().load(other, languageModel: Self.opt)) { error in
            XCTAssertTrue("\(error)".contains("is not a LAVIS BLIP-2 OPT checkpoint: missing visual_encoder.cls_token"), "\(error)")
        }
    }
}
