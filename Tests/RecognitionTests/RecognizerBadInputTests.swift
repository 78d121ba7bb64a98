import Faces
import Foundation
import Tensor
import XCTest
@testable import Recognition

/// Bad clips and bad checkpoints: each is one InputError naming the file and the problem, never a crash.
final class RecognizerBadInputTests: XCTestCase {
    func copyFrames(_ count: Int, to dir: URL) throws {
        let frames = try FileManager.default.contentsOfDirectory(atPath: RecognitionFixtures.url("clip").path).sorted()
        for name in frames.prefix(count) {
            try FileManager.default.copyItem(at: RecognitionFixtures.url("clip/\(name)"), to: dir.appendingPathComponent(name))
        }
    }

    func problem(_ body: () throws -> Void) -> InputError? {
        do { try body() } catch let error as InputError { return error } catch { XCTFail("not an InputError: \(error)") }
        return nil
    }

    func testEmptyClipFolder() throws {
        let dir = try RecognitionFixtures.scratch("empty")
        try "not a frame".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let error = problem { _ = try FrameClip.open(dir.path) }
        XCTAssertEqual(error?.path, dir.path)
        XCTAssertEqual(error?.problem, "clip folder has no frames (PNG or JPEG files)")
    }

    func testFramesOfDifferentSizes() throws {
        let dir = try RecognitionFixtures.scratch("sizes")
        try copyFrames(5, to: dir)
        // The still is 27x30, the clip's frames 40x36: the third frame no longer matches the first.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("00003.png"))
        try FileManager.default.copyItem(at: RecognitionFixtures.url("still.png"), to: dir.appendingPathComponent("00003.png"))
        let recognizer = try RecognizerLoader.load(RecognitionFixtures.url("tiny-f32").path)
        let error = problem { _ = try recognizer.recognize(try FrameClip.open(dir.path), decode: RecognitionFixtures.decode) }
        XCTAssertEqual(error?.path, dir.appendingPathComponent("00003.png").path)
        XCTAssertEqual(error?.problem, "frame is 27x30 but the clip's frame 00001.png is 40x36")
    }

    func testCorruptFrameNamesTheFrame() throws {
        let dir = try RecognitionFixtures.scratch("corrupt")
        try copyFrames(4, to: dir)
        var bytes = try Data(contentsOf: dir.appendingPathComponent("00002.png"))
        bytes = bytes.prefix(60) + Data(repeating: 0x55, count: 40)
        try bytes.write(to: dir.appendingPathComponent("00002.png"))
        let recognizer = try RecognizerLoader.load(RecognitionFixtures.url("tiny-f32").path)
        let error = problem { _ = try recognizer.recognize(try FrameClip.open(dir.path), decode: RecognitionFixtures.decode) }
        XCTAssertEqual(error?.path, dir.appendingPathComponent("00002.png").path)
        // The recognizer still works on a good clip afterwards.
        let good = try recognizer.recognize(try FrameClip.open(RecognitionFixtures.url("clip").path), decode: RecognitionFixtures.decode)
        XCTAssertEqual(good.frames.count, 16)
    }

    func testConfigWhoseClassesAndDescriptorsDisagree() throws {
        let dir = try RecognitionFixtures.scratch("disagree-config")
        for name in ["model.safetensors", "vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(at: RecognitionFixtures.url("tiny-f32/\(name)"), to: dir.appendingPathComponent(name))
        }
        var config = try RecognizerConfig.load(RecognitionFixtures.url("tiny-f32/config.json"))
        config.descriptors.removeLast()
        try JSONEncoder().encode(config).write(to: dir.appendingPathComponent("config.json"))
        let error = problem { _ = try RecognizerLoader.load(dir.path) }
        XCTAssertEqual(error?.path, dir.appendingPathComponent("config.json").path)
        XCTAssertEqual(error?.problem, "classes and descriptors disagree: 7 classes but 6 descriptors")
    }

    func testCheckpointWhoseClassSetDisagreesWithItsPrompts() throws {
        let error = problem { _ = try RecognizerLoader.load(RecognitionFixtures.url("tiny-released.pth").path, classSet: "mafw") }
        XCTAssertEqual(error?.path, RecognitionFixtures.url("tiny-released.pth").path)
        XCTAssertTrue(error?.problem.hasPrefix("classes and descriptors disagree with the checkpoint: it learned prompts for 7 classes, the class list names 11") ?? false,
                      "\(String(describing: error))")
    }

    /// With a CLIP vocabulary beside a checkpoint, its stored prompts are checked against the descriptors.
    func testStoredPromptsThatAreNotTheDescriptors() throws {
        let dir = try RecognitionFixtures.scratch("disagree-prompts")
        try FileManager.default.copyItem(at: RecognitionFixtures.url("tiny-released.pth"), to: dir.appendingPathComponent("model.pth"))
        for name in ["vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(at: RecognitionFixtures.url("tokenizer/\(name)"), to: dir.appendingPathComponent(name))
        }
        // The right descriptors load (and the check runs) ...
        XCTAssertEqual(try RecognizerLoader.load(dir.appendingPathComponent("model.pth").path).classes.count, 7)
        // ... swapped ones do not.
        let weights = try RecognizerWeights(store: WeightStore(file: dir.appendingPathComponent("model.pth")))
        var config = try ReleasedCheckpoint.inferConfig(weights)
        let set = try ClassSets.named("dfew")
        config.classes = set.classes
        config.descriptors = set.descriptors
        config.descriptors.swapAt(0, 1)
        let error = problem { _ = try PromptLearner(config: config, weights: weights, tokenizer: try CLIPTokenizer(directory: dir)) }
        XCTAssertEqual(error?.problem, "classes and descriptors disagree: the stored prompt of class 0 (happiness) is not its descriptor \"\(set.descriptors[1])\"")
    }

    func testUnknownClassSet() {
        let error = problem { _ = try RecognizerLoader.load(RecognitionFixtures.url("tiny-released.pth").path, classSet: "raf-db") }
        XCTAssertEqual(error?.path, "--classes")
    }
}
