import CAllocationCounter
import Foundation
import XCTest
import Tensor
@testable import Captioning

/// 8-bit language-model weights: chosen per run (registry) or per model (facecap.json), keyed into
/// the captioner's identity (so the caption cache never serves a native caption for q8 or back),
/// and decoding with them allocates nothing per token, like the native path.
final class WeightFormatTests: XCTestCase {
    func testQ8IsChosenPerRunAndChangesTheIdentity() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first { $0.name == "tiny-bf16" })
        let native = try ModelRegistry().load(fixture.directory)
        let q8 = try ModelRegistry(weightFormat: .q8).load(fixture.directory)
        XCTAssertEqual(native.model.language.weightFormat, .native)
        XCTAssertEqual(q8.model.language.weightFormat, .q8)
        XCTAssertNotEqual(native.identity, q8.identity)
        XCTAssertEqual(try ModelRegistry(weightFormat: .native).load(fixture.directory).identity, native.identity)
        // lm_head rows of 48 weights: padded to 64 int8 plus two F16 scales.
        XCTAssertEqual(q8.model.language.bytesPerWeight, Double(64 + 4) / 48, accuracy: 1e-9)
    }

    func testFacecapJSONChoosesTheFormatAndRejectsUnknownOnes() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first { $0.name == "tiny-bf16" })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-q8-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixture.directory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("facecap.json")
        try Data(#"{"weights": "q8"}"#.utf8).write(to: manifest)
        XCTAssertEqual(try ModelRegistry().load(folder).model.language.weightFormat, .q8)
        XCTAssertEqual(try ModelRegistry(weightFormat: .native).load(folder).model.language.weightFormat, .native, "the run's choice wins")
        try Data(#"{"weights": "q4"}"#.utf8).write(to: manifest)
        XCTAssertThrowsError(try ModelRegistry().load(folder)) { error in
            XCTAssertTrue("\(error)".contains("facecap.json"), "\(error)")
        }
    }

    func testQ8DecodingAllocatesNothingPerToken() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first)
        try assertDecodingAllocatesNothingPerToken(try ModelRegistry(weightFormat: .q8).load(fixture.directory).model, fixture: fixture)
    }

    /// BF16 weights kept half (as for real-size models): the decode kernels, and on AVX512-BF16 the
    /// vdpbf16ps kernel for beams.
    func testHalfWeightDecodingAllocatesNothingPerToken() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first)
        let config = try Blip2Config.load(fixture.directory.appendingPathComponent("config.json"))
        let weights = RandomWeights.make(config: config, dtype: .bf16)
        let language = try OPTModel(config: config.textConfig, weights: weights, widenHalf: false)
        let model = try Blip2Model(config: config, weights: weights, language: language, widenHalf: false)
        try assertDecodingAllocatesNothingPerToken(model, fixture: fixture)
    }

    func assertDecodingAllocatesNothingPerToken(_ model: Blip2Model, fixture: ParityFixture) throws {
        let encoding = try model.encode(pixelValues: try fixture.floats("pixel_values"))
        let input = model.languageInput(projectedQueries: encoding.projectedQueries, promptIDs: [])
        func allocations(tokens: Int, beams: Int) throws -> Int {
            var settings = DecodingSettings()
            settings.maxNewTokens = tokens
            settings.minNewTokens = tokens
            settings.numBeams = beams
            allocation_counter_start()
            let generated = try model.generate(embeddings: input.embeddings, inputIDs: input.inputIDs, settings: settings,
                                               eosTokenIDs: [], observer: nil)
            let count = allocation_counter_stop()
            XCTAssertEqual(generated.sequences[0].count, tokens)
            return count
        }
        for beams in [1, 3] {
            _ = try allocations(tokens: 4, beams: beams)  // warm lazy runtime state
            let short = try allocations(tokens: 4, beams: beams), long = try allocations(tokens: 12, beams: beams)
            XCTAssertEqual(long, short, "beams \(beams): \(long - short) extra allocations for 8 more tokens")
        }
    }
}
