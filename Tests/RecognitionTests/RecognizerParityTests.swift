import Faces
import Foundation
import XCTest
@testable import Recognition

/// The Swift DFER-CLIP against the PyTorch reference (Training/dfer_clip.py) on a tiny random model:
/// class text features, per-segment frame embeddings, video feature and logits within 1e-4, same class.
final class RecognizerParityTests: XCTestCase {
    func check(model: String, reference: String, tolerance: Float = 1e-4) throws {
        let recognizer = try RecognizerLoader.load(RecognitionFixtures.url(model).path)
        let ref = try RecognitionFixtures.json(reference)
        XCTAssertEqual(recognizer.classes, ["happiness", "sadness", "neutral", "anger", "surprise", "disgust", "fear"])
        let text = RecognitionFixtures.floats(ref["text_features"])
        XCTAssertLessThan(maxAbsDifference(recognizer.textFeatures, text), tolerance, "\(model): text features")
        let inputs = ref["inputs"] as! [String: Any]
        XCTAssertEqual(inputs.count, 2)
        for (name, value) in inputs {
            let expected = value as! [String: Any]
            let clip = try FrameClip.open(RecognitionFixtures.url(name).path)
            let result = try recognizer.recognize(clip, decode: RecognitionFixtures.decode)
            let activations = recognizer.lastActivations()
            XCTAssertEqual(result.frames, RecognitionFixtures.ints(expected["frames"]), "\(model) \(name): frames used")
            XCTAssertLessThan(maxAbsDifference(activations.frames, RecognitionFixtures.floats(expected["frame_embeddings"])), tolerance,
                              "\(model) \(name): frame embeddings")
            XCTAssertLessThan(maxAbsDifference(activations.video, RecognitionFixtures.floats(expected["video_feature"])), tolerance,
                              "\(model) \(name): video feature")
            XCTAssertLessThan(maxAbsDifference(result.logits, RecognitionFixtures.floats(expected["logits"])), tolerance,
                              "\(model) \(name): logits")
            XCTAssertEqual(result.top, recognizer.classes[(expected["top"] as! NSNumber).intValue], "\(model) \(name): top class")
            XCTAssertEqual(result.probs.reduce(0, +), 1, accuracy: 1e-5)
        }
    }

    func testF32FolderMatchesPyTorch() throws {
        try check(model: "tiny-f32", reference: "reference.json")
    }

    func testF16FolderKeepsHalfWeightsAndMatchesPyTorch() throws {
        try check(model: "tiny-f16", reference: "reference_f16.json")
        let recognizer = try RecognizerLoader.load(RecognitionFixtures.url("tiny-f16").path)
        // Half weights stay half in memory: the blocks' matrices were not widened at load.
        XCTAssertEqual(recognizer.vision.blocks[0].fc.storedBytesPerWeight, 2)
    }

    /// A checkpoint in DFER-CLIP's released layout (torch.save dict, `module.` names, prompt buffers,
    /// clip_model_ duplicates), sizes inferred from shapes and the 7 DFEW classes from the prompt learner.
    func testReleasedCheckpointMatchesPyTorch() throws {
        try check(model: "tiny-released.pth", reference: "reference_pth.json")
        let recognizer = try RecognizerLoader.load(RecognitionFixtures.url("tiny-released.pth").path)
        XCTAssertEqual(recognizer.config.vision.width, 64)
        XCTAssertEqual(recognizer.config.temporal.dimHead, 64)
    }

    func testEOTPositionsAreTheReferences() throws {
        let ref = try RecognitionFixtures.json("reference.json")
        let dir = RecognitionFixtures.url("tiny-f32")
        let config = try RecognizerConfig.load(dir.appendingPathComponent("config.json"))
        let weights = try RecognizerWeights(store: try .init(directory: dir))
        let prompts = try PromptLearner(config: config, weights: weights, tokenizer: try CLIPTokenizer(directory: dir))
        XCTAssertEqual(prompts.eot, RecognitionFixtures.ints(ref["eot"]))
    }

    func testSamplingIsDFERCLIPsTestSampling() throws {
        let ref = try RecognitionFixtures.json("reference.json")
        let cases = ref["sampling"] as! [String: Any]
        XCTAssertGreaterThan(cases.count, 40)
        for (n, indices) in cases {
            XCTAssertEqual(ClipSampling.testIndices(frameCount: Int(n)!), RecognitionFixtures.ints(indices), "n = \(n)")
        }
    }
}
