import CAllocationCounter
import XCTest
@testable import Captioning

/// The decode loop allocates nothing per token: generating 12 tokens costs exactly as many heap
/// allocations as generating 4 (everything is sized and allocated before the loop starts).
final class DecodeAllocationTests: XCTestCase {
    func allocations(model: Blip2Model, input: (embeddings: [Float], inputIDs: [Int32]), settings: DecodingSettings,
                     recordAttention: Bool = false) throws -> (Int, Int) {
        allocation_counter_start()
        let generated = try model.generate(embeddings: input.embeddings, inputIDs: input.inputIDs, settings: settings,
                                           eosTokenIDs: [], observer: nil, recordAttention: recordAttention)
        let count = allocation_counter_stop()
        return (count, generated.sequences[0].count)
    }

    func testAllocationsDoNotGrowWithGeneratedLength() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first)
        let model = try fixture.captioner().model
        let encoding = try model.encode(pixelValues: try fixture.floats("pixel_values"))
        let input = model.languageInput(projectedQueries: encoding.projectedQueries, promptIDs: [])
        for mode in ["greedy", "beam", "sample"] {
            var short = DecodingSettings(), long = DecodingSettings()
            for s in [0, 1] {
                var settings = DecodingSettings()
                settings.maxNewTokens = s == 0 ? 4 : 12
                settings.minNewTokens = settings.maxNewTokens
                if mode == "beam" { settings.numBeams = 3 }
                if mode == "sample" { settings.sample = true; settings.topP = 0.9; settings.numCaptions = 2 }
                if s == 0 { short = settings } else { long = settings }
            }
            _ = try allocations(model: model, input: input, settings: short)  // warm lazy runtime state
            let (a4, n4) = try allocations(model: model, input: input, settings: short)
            let (a12, n12) = try allocations(model: model, input: input, settings: long)
            XCTAssertEqual(n4, 4, mode)
            XCTAssertEqual(n12, 12, mode)
            XCTAssertEqual(a12, a4, "\(mode): \(a12 - a4) extra allocations for 8 more tokens")
            // Recording attention sizes its buffers before the loop too.
            let (r4, _) = try allocations(model: model, input: input, settings: short, recordAttention: true)
            let (r12, _) = try allocations(model: model, input: input, settings: long, recordAttention: true)
            XCTAssertEqual(r12, r4, "\(mode) recording attention: \(r12 - r4) extra allocations for 8 more tokens")
        }
    }
}
