import CAllocationCounter
import Foundation
import XCTest
import Faces
import Tensor
@testable import Captioning

/// 8-bit language-model weights: chosen per run (loader) or per model (facecap.json), keyed into
/// the captioner's identity (so the caption cache never serves a native caption for q8 or back),
/// and decoding with them allocates nothing per token, like the native path.
final class WeightFormatTests: XCTestCase {
    func testQ8IsChosenPerRunAndChangesTheIdentity() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first { $0.name == "tiny-bf16" })
        let native = try CaptionerLoader().load(fixture.directory)
        let q8 = try CaptionerLoader(weightFormat: .q8).load(fixture.directory)
        XCTAssertEqual(native.model.language.weightFormat, .native)
        XCTAssertEqual(q8.model.language.weightFormat, .q8)
        XCTAssertNotEqual(native.identity, q8.identity)
        XCTAssertEqual(try CaptionerLoader(weightFormat: .native).load(fixture.directory).identity, native.identity)
        // lm_head rows of 48 weights: padded to 64 int8 plus two F16 scales.
        XCTAssertEqual(q8.model.language.bytesPerWeight, Double(64 + 4) / 48, accuracy: 1e-9)
    }

    /// Beams in q8 are rounded to 8 bits only where the CPU has AVX512-VNNI: the identity says so,
    /// so a cache shared with a CPU without it never mixes the two kinds of beam captions.
    func testQ8IdentityRecordsEightBitBeams() throws {
        defer { KernelLevel.use(.detected) }
        let fixture = try XCTUnwrap(try ParityFixture.all.first { $0.name == "tiny-bf16" })
        KernelLevel.use(.avx2)
        XCTAssertFalse(Q8Weights.multipliesRowsInEightBits)
        let f32Beams = try CaptionerLoader(weightFormat: .q8).load(fixture.directory).identity
        guard KernelLevel.use(.avx512) == .avx512, Q8Weights.multipliesRowsInEightBits else {
            throw XCTSkip("this CPU has no AVX512-VNNI")
        }
        XCTAssertNotEqual(try CaptionerLoader(weightFormat: .q8).load(fixture.directory).identity, f32Beams)
    }

    func testFacecapJSONChoosesTheFormatAndRejectsUnknownOnes() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first { $0.name == "tiny-bf16" })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-q8-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixture.directory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("facecap.json")
        try Data(#"{"weights": "q8"}"#.utf8).write(to: manifest)
        XCTAssertEqual(try CaptionerLoader().load(folder).model.language.weightFormat, .q8)
        XCTAssertEqual(try CaptionerLoader(weightFormat: .native).load(folder).model.language.weightFormat, .native, "the run's choice wins")
        try Data(#"{"weights": "q4"}"#.utf8).write(to: manifest)
        XCTAssertThrowsError(try CaptionerLoader().load(folder)) { error in
            XCTAssertTrue("\(error)".contains("facecap.json"), "\(error)")
        }
    }

    /// LAVIS `.pth` models take the format the same way: from their folder's facecap.json, or the
    /// run's choice, also for a file given directly; a shared OPT is shared per format.
    func testLavisCheckpointsTakeTheFormatFromFacecapJSONOrTheRun() throws {
        let lavis = ParityFixture.root.deletingLastPathComponent().appendingPathComponent("lavis")
        let opt = lavis.appendingPathComponent("opt"), expBlip = lavis.appendingPathComponent("exp-blip-f32")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-lavis-q8-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: expBlip, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"language_model": "\#(opt.path)", "weights": "q8"}"#.utf8).write(to: folder.appendingPathComponent("facecap.json"))

        let loader = CaptionerLoader()
        let native = try loader.load(expBlip), q8 = try loader.load(folder)
        XCTAssertEqual(native.model.language.weightFormat, .native)
        XCTAssertEqual(q8.model.language.weightFormat, .q8)
        XCTAssertFalse(native.model.language === q8.model.language, "one OPT folder, two formats: two language models")
        XCTAssertEqual(loader.languageModelCount, 2)
        XCTAssertNotEqual(native.identity, q8.identity)
        XCTAssertEqual(try CaptionerLoader(weightFormat: .native).load(folder).identity, native.identity, "the run's choice wins")
        XCTAssertEqual(try CaptionerLoader(weightFormat: .q8).load(expBlip).identity, q8.identity)

        let ownOPT = lavis.appendingPathComponent("au-blip-f16vit").appendingPathComponent("tiny_au_blip.pth")
        XCTAssertEqual(try CaptionerLoader(weightFormat: .q8).load(ownOPT).model.language.weightFormat, .q8)
        let image = try PNGDecoder.decode(contentsOf: ParityFixture.testPNG)
        let caption = try q8.caption(image, settings: q8.defaultSettings) { _ in true }
        XCTAssertFalse(caption.tokenIDs[0].isEmpty)
    }

    func testQ8DecodingAllocatesNothingPerToken() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first)
        try assertDecodingAllocatesNothingPerToken(try CaptionerLoader(weightFormat: .q8).load(fixture.directory).model, fixture: fixture)
    }

    /// BF16 weights kept half (as for real-size models): the decode kernels, and on AVX512-BF16 the
    /// vdpbf16ps kernel for beams.
    func testHalfWeightDecodingAllocatesNothingPerToken() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first)
        let config = try Blip2Config.load(fixture.directory.appendingPathComponent("config.json"))
        let weights = RandomWeights(config: config, dtype: .bf16)
        let language = try OPTModel(config: config.textConfig, weights: weights, widenHalf: false)
        let model = try Blip2Model(config: config, weights: weights, language: language, widenHalf: false)
        try assertDecodingAllocatesNothingPerToken(model, fixture: fixture)
    }

    /// Attention recording (issue 15) on the new kernels: q8 weights and half weights with beams
    /// (vdpbf16ps on AVX512-BF16) record every step without changing the caption, and greedy decoding
    /// on half weights records the same attention on every kernel level this CPU offers.
    func testAttentionRecordingOnQ8AndHalfWeightKernels() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first)
        let config = try Blip2Config.load(fixture.directory.appendingPathComponent("config.json"))
        let random = RandomWeights(config: config, dtype: .bf16)
        let half = try Blip2Model(config: config, weights: random,
                                  language: try OPTModel(config: config.textConfig, weights: random, widenHalf: false), widenHalf: false)
        let q8 = try CaptionerLoader(weightFormat: .q8).load(fixture.directory).model
        let q = config.numQueryTokens
        for (label, model) in [("half", half), ("q8", q8)] {
            let encoding = try model.encode(pixelValues: try fixture.floats("pixel_values"))
            let input = model.languageInput(projectedQueries: encoding.projectedQueries, promptIDs: [])
            func generate(beams: Int, record: Bool) throws -> Generated {
                var settings = DecodingSettings()
                settings.maxNewTokens = 6
                settings.minNewTokens = 6
                settings.numBeams = beams
                return try model.generate(embeddings: input.embeddings, inputIDs: input.inputIDs, settings: settings,
                                          eosTokenIDs: [], observer: nil, recordAttention: record)
            }
            for beams in [1, 3] {
                let plain = try generate(beams: beams, record: false), recorded = try generate(beams: beams, record: true)
                XCTAssertEqual(recorded.sequences, plain.sequences, "\(label) beams \(beams): recording changed the caption")
                let rows = try XCTUnwrap(recorded.queryAttention?[0], "\(label) beams \(beams)")
                XCTAssertEqual(rows.count, 6 * q, "\(label) beams \(beams)")
                for t in 0..<6 {
                    let row = rows[t * q..<(t + 1) * q]
                    XCTAssertTrue(row.allSatisfy { $0.isFinite && $0 >= 0 }, "\(label) beams \(beams) token \(t)")
                    XCTAssertLessThanOrEqual(row.reduce(0, +), 1 + 1e-5, "\(label) beams \(beams) token \(t)")
                    XCTAssertGreaterThan(row.reduce(0, +), 0, "\(label) beams \(beams) token \(t)")
                }
            }
        }
        let encoding = try half.encode(pixelValues: try fixture.floats("pixel_values"))
        let input = half.languageInput(projectedQueries: encoding.projectedQueries, promptIDs: [])
        var settings = DecodingSettings()
        settings.maxNewTokens = 6
        settings.minNewTokens = 6
        let best = KernelLevel.current
        defer { KernelLevel.use(best) }
        var reference: Generated?
        for level in KernelLevel.allCases where level <= KernelLevel.detected {
            KernelLevel.use(level)
            let generated = try half.generate(embeddings: input.embeddings, inputIDs: input.inputIDs, settings: settings,
                                              eosTokenIDs: [], observer: nil, recordAttention: true)
            guard let reference else { reference = generated; continue }
            XCTAssertEqual(generated.sequences, reference.sequences, "\(level)")
            let diff = maxAbsDiff(try XCTUnwrap(generated.queryAttention?[0]), try XCTUnwrap(reference.queryAttention?[0]))
            XCTAssertLessThan(diff.value, 1e-4, "\(level) greedy attention differs from generic at \(diff.index)")
        }
    }

    func assertDecodingAllocatesNothingPerToken(_ model: Blip2Model, fixture: ParityFixture) throws {
        let encoding = try model.encode(pixelValues: try fixture.floats("pixel_values"))
        let input = model.languageInput(projectedQueries: encoding.projectedQueries, promptIDs: [])
        func allocations(tokens: Int, beams: Int, record: Bool) throws -> Int {
            var settings = DecodingSettings()
            settings.maxNewTokens = tokens
            settings.minNewTokens = tokens
            settings.numBeams = beams
            allocation_counter_start()
            let generated = try model.generate(embeddings: input.embeddings, inputIDs: input.inputIDs, settings: settings,
                                               eosTokenIDs: [], observer: nil, recordAttention: record)
            let count = allocation_counter_stop()
            XCTAssertEqual(generated.sequences[0].count, tokens)
            XCTAssertEqual(generated.queryAttention != nil, record)
            return count
        }
        for beams in [1, 3] {
            for record in [false, true] {
                _ = try allocations(tokens: 4, beams: beams, record: record)  // warm lazy runtime state
                let short = try allocations(tokens: 4, beams: beams, record: record)
                let long = try allocations(tokens: 12, beams: beams, record: record)
                XCTAssertEqual(long, short, "beams \(beams), recording \(record): \(long - short) extra allocations for 8 more tokens")
            }
        }
    }

    /// `bench --config --weights q8` measures q8's memory only if quantizing frees each half-precision
    /// source tensor: random weights are made per request (the same values each time) and a q8 Linear
    /// keeps no reference to the tensor it was quantized from.
    func testRandomWeightsAreMadePerRequestAndQ8LetsTheSourceGo() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first)
        let config = try Blip2Config.load(fixture.directory.appendingPathComponent("config.json"))
        let random = RandomWeights(config: config, dtype: .bf16)
        let name = "language_model.model.decoder.layers.0.fc1.weight"
        let first = try random.tensor(name), second = try random.tensor(name)
        XCTAssertFalse(first.owner === second.owner, "made once per request, not cached")
        XCTAssertEqual(first.floats(), second.floats())
        let other = try random.tensor("language_model.model.decoder.layers.0.fc2.weight")
        XCTAssertNotEqual(Array(first.floats().prefix(16)), Array(other.floats().prefix(16)))
        XCTAssertThrowsError(try random.tensor("no.such.tensor"))

        weak var source: AnyObject?
        var linears: [Linear] = []
        for format in [WeightFormat.q8, .native] {
            func build() throws {
                let weight = try random.tensor(name)
                source = weight.owner
                linears.append(Linear(weight: weight, bias: nil, widenHalf: false, format: format))
            }
            try build()
            if format == .q8 {
                XCTAssertNil(source, "the q8 Linear still holds its half-precision source")
            } else {
                XCTAssertNotNil(source, "a native Linear reads the tensor it was given")
            }
        }
    }

    /// On AVX512-BF16, BF16 weights kept half round activations for two or more rows, so the same model
    /// captions a little differently there: the cache identity records it, only where it happens.
    func testIdentityRecordsBF16ActivationRounding() throws {
        defer { KernelLevel.use(.detected) }
        let fixture = try XCTUnwrap(try ParityFixture.all.first { $0.name == "tiny-bf16" })
        let loader = CaptionerLoader()
        let small = try loader.load(fixture.directory)
        XCTAssertFalse(small.model.roundsActivationsToBF16, "small BF16 models are widened at load")
        let config = small.model.config
        let random = RandomWeights(config: config, dtype: .bf16)
        let half = try Blip2Model(config: config, weights: random,
                                  language: try OPTModel(config: config.textConfig, weights: random, widenHalf: false), widenHalf: false)
        XCTAssertGreaterThan(half.linears.count, 6 * config.textConfig.numHiddenLayers + config.visionConfig.numHiddenLayers,
                             "the walk reaches the vision, Q-Former and OPT layers")
        func identity() throws -> String {
            let captioner = try Blip2Captioner(name: "half", directory: fixture.directory, identity: "", model: half,
                                               tokenizer: small.tokenizer, preprocessor: small.preprocessor,
                                               generation: try GenerationConfig.load(fixture.directory.appendingPathComponent("generation_config.json")))
            return try loader.identity(weights: "random", language: "", captioner: captioner, tokenizerFolder: fixture.directory)
        }
        KernelLevel.use(.avx512)
        XCTAssertFalse(half.roundsActivationsToBF16)
        let plain = try identity()
        guard KernelLevel.use(.avx512bf16) == .avx512bf16 else { return }  // this CPU has no vdpbf16ps
        XCTAssertTrue(half.roundsActivationsToBF16)
        XCTAssertNotEqual(try identity(), plain)
    }
}
