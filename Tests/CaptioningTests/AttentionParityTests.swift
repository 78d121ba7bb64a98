import Foundation
import XCTest
@testable import Captioning

/// The "why did it say that" numbers equal transformers' on the parity fixtures
/// (parity/<model>/attention_reference.json, written by Training/make_attention_fixtures.py):
/// Q-Former cross-attention and OPT self-attention as `output_attentions=True` gives them, averaged
/// as the engine records them, within 1e-5; per-token log-probs as `compute_transition_scores`
/// gives them, within 1e-4.
final class AttentionParityTests: XCTestCase {
    static let attentionTolerance: Float = 1e-5
    static let logprobTolerance: Float = 1e-4

    struct Reference {
        let json: [String: Any]
        init?(_ fixture: ParityFixture) throws {
            let url = fixture.directory.appendingPathComponent("attention_reference.json")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        }
        var cases: [[String: Any]] { json["cases"] as? [[String: Any]] ?? [] }
    }

    static func flat(_ value: Any?) -> [Float] {
        if let n = value as? NSNumber { return [n.floatValue] }
        return (value as? [Any] ?? []).flatMap { flat($0) }
    }

    func testEveryFixtureHasAttentionReferences() throws {
        let fixtures = try ParityFixture.all
        XCTAssertGreaterThanOrEqual(fixtures.count, 2)
        for fixture in fixtures { XCTAssertNotNil(try Reference(fixture), fixture.name) }
    }

    func testQFormerCrossAttentionMatchesTransformers() throws {
        for fixture in try ParityFixture.all {
            guard let reference = try Reference(fixture) else { continue }
            let model = try fixture.captioner().model
            let encoding = try model.encode(pixelValues: try fixture.floats("pixel_values"), recordAttention: true)
            let ours = try XCTUnwrap(encoding.crossAttention)
            let diff = maxAbsDiff(ours, Self.flat(reference.json["qformer_cross_attention_mean"]))
            print("parity \(fixture.name) qformer cross-attention max abs diff \(diff.value)")
            XCTAssertLessThan(diff.value, Self.attentionTolerance, "\(fixture.name) at \(diff.index)")
            XCTAssertNil(try model.encode(pixelValues: try fixture.floats("pixel_values")).crossAttention,
                         "nothing is recorded unless asked")
        }
    }

    func testTokenLogprobsAndLanguageModelAttentionMatchTransformers() throws {
        var checked = 0
        for fixture in try ParityFixture.all {
            guard let reference = try Reference(fixture) else { continue }
            let model = try fixture.captioner().model
            let encoding = try model.encode(pixelValues: try fixture.floats("pixel_values"), recordAttention: true)
            let cross = try XCTUnwrap(encoding.crossAttention)
            let q = model.config.numQueryTokens
            for (c, ref) in zip(fixture.generationCases, reference.cases) {
                let name = "\(fixture.name)/\(ref["name"] as? String ?? "?")"
                XCTAssertEqual(c["name"] as? String, ref["name"] as? String)
                let kwargs = c["generate_kwargs"] as? [String: Any] ?? [:]
                let inputIDs = (c["input_ids"] as? [NSNumber] ?? []).map(\.intValue)
                let input = model.languageInput(projectedQueries: encoding.projectedQueries, promptIDs: Array(inputIDs[(q + 1)...]))
                let eos = [(kwargs["eos_token_id"] as? NSNumber)?.intValue ?? 2]
                let generated = try model.generate(embeddings: input.embeddings, inputIDs: input.inputIDs,
                                                   settings: DecodingSettings(generateKwargs: kwargs), eosTokenIDs: eos,
                                                   observer: nil, recordAttention: true)
                XCTAssertEqual(generated.sequences[0], (ref["new_ids"] as? [NSNumber])?.map(\.intValue), name)
                let logprobs = maxAbsDiff(generated.tokenLogprobs[0], Self.flat(ref["token_logprobs"]))
                XCTAssertLessThan(logprobs.value, Self.logprobTolerance, "\(name) log-prob of token \(logprobs.index)")
                let lm = try XCTUnwrap(generated.queryAttention?[0])
                let attention = maxAbsDiff(lm, Self.flat(ref["query_attention"]))
                XCTAssertLessThan(attention.value, Self.attentionTolerance, "\(name) OPT attention at \(attention.index)")
                let maps = AttentionMap.tokenMaps(queryAttention: lm, crossAttention: cross, queries: q,
                                                  imageTokens: cross.count / q)
                let mapDiff = maxAbsDiff(maps.flatMap { $0 }, Self.flat(ref["token_patch_maps"]))
                XCTAssertLessThan(mapDiff.value, Self.attentionTolerance, "\(name) patch map at \(mapDiff.index)")
                print("parity \(name) logprob diff \(logprobs.value) attention diff \(attention.value) map diff \(mapDiff.value)")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 20)
    }

    func testCaptionerReturnsLogprobsAlwaysAndAttentionOnlyWhenAsked() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first)
        let captioner = try fixture.captioner()
        let pixels = try fixture.floats("pixel_values")
        var settings = captioner.defaultSettings
        settings.numBeams = 3
        let plain = try captioner.caption(pixelValues: pixels, settings: settings)
        XCTAssertNil(plain.attention)
        XCTAssertEqual(plain.tokenLogprobs.map(\.count), plain.tokenIDs.map(\.count))
        let recorded = try captioner.caption(pixelValues: pixels, settings: settings, recordAttention: true)
        XCTAssertEqual(recorded.tokenIDs, plain.tokenIDs, "recording does not change the caption")
        let attention = try XCTUnwrap(recorded.attention)
        let side = captioner.model.config.visionConfig.imageSize / captioner.model.config.visionConfig.patchSize
        XCTAssertEqual([attention.gridRows, attention.gridColumns], [side, side])
        XCTAssertEqual(attention.tokenMaps[0].count, recorded.tokenIDs[0].count)
        for map in attention.tokenMaps[0] {
            XCTAssertEqual(map.count, side * side)
            XCTAssertEqual(map.reduce(0, +), 1, accuracy: 1e-5)
        }
    }

    func testTokenPiecesRebuildTheCaptionAndItsWords() throws {
        let captioner = try XCTUnwrap(try ParityFixture.all.first).captioner()
        for text in ["The face shows happiness.", " raised inner brows, parted lips\n", "café naïve 2023"] {
            let ids = captioner.tokenizer.encode(text, addBOS: false)
            let pieces = captioner.tokenPieces(ids)
            XCTAssertEqual(pieces.count, ids.count)
            XCTAssertEqual(pieces.joined(), captioner.tokenizer.decode(ids, skipSpecialTokens: true), text)
            let caption = pieces.joined().trimmingCharacters(in: .whitespacesAndNewlines)
            let words = CaptionWords.align(caption: caption, pieces: pieces)
            XCTAssertEqual(words.map(\.text), caption.split(separator: " ").map(String.init), text)
            XCTAssertTrue(words.allSatisfy { !$0.tokens.isEmpty }, "every word has its tokens: \(text)")
        }
    }
}
