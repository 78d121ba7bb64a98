@testable import Captioning
import Faces
import Foundation
import Tensor
import XCTest

/// Mutated model folders never crash or hang the engine: each one either loads and captions, or is
/// refused with one `InputError` naming a file. The mutations are seeded, so a failing round can be
/// replayed; the round being run is written to .build/test-logs/model-folder-fuzz.txt first, so a
/// crash (which ends the test process) still says which one it was.
final class ModelFolderFuzzTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/parity/tiny-f32")
    static let log = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/test-logs/model-folder-fuzz.txt")

    /// Values that sit on the edges the engine cares about: ids at and past the vocabulary (643),
    /// sizes that overflow or exhaust memory, wrong types.
    static let interesting: [Any] = [0, -1, 1, 2, 3, 7, 642, 643, 5000, 65536, 1 << 31, 1 << 40, -(1 << 40),
                                     Int.max, 0.5, 1e300, -1e-9, "x", NSNull(), true, [1, 2], [Int.max]]

    /// Paths of every leaf of a JSON object ("text_config.bos_token_id").
    static func leaves(_ object: [String: Any], prefix: [String] = []) -> [[String]] {
        object.keys.sorted().flatMap { key -> [[String]] in
            if let child = object[key] as? [String: Any] { return leaves(child, prefix: prefix + [key]) }
            return [prefix + [key]]
        }
    }

    static func setting(_ object: [String: Any], _ path: [String], to value: Any) -> [String: Any] {
        var object = object
        if path.count == 1 {
            object[path[0]] = value
        } else {
            object[path[0]] = setting(object[path[0]] as? [String: Any] ?? [:], Array(path.dropFirst()), to: value)
        }
        return object
    }

    func testMutatedConfigsAndHeadersLoadOrFailWithOneLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-fuzz-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixture, to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        try? FileManager.default.createDirectory(at: Self.log.deletingLastPathComponent(), withIntermediateDirectories: true)

        let files = ["config.json", "generation_config.json"]
        var originals: [String: [String: Any]] = [:]
        for file in files {
            originals[file] = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(file))) as? [String: Any]
        }
        let weightsURL = dir.appendingPathComponent("model.safetensors")
        let weights = [UInt8](try Data(contentsOf: weightsURL))
        let headerEnd = 8 + weights.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let image = RGBImage(width: 12, height: 10, pixels: (0..<360).map { UInt8($0 % 251) })

        var rng = RandomGenerator(seed: 0xFACE_CA90)
        var captioned = 0, refused = 0
        for round in 0..<150 {
            var mutated = originals
            var damagedWeights = weights
            var description: [String] = []
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                if Int.random(in: 0..<5, using: &rng) == 0 {
                    // A header byte of the weights: the length prefix or the JSON that follows.
                    let at = Int.random(in: 0..<headerEnd, using: &rng)
                    damagedWeights[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                    description.append("model.safetensors byte \(at)")
                } else {
                    let file = files.randomElement(using: &rng)!
                    // Half the time a number the engine sizes or indexes something with.
                    let all = Self.leaves(mutated[file]!)
                    let numeric = all.filter { path in
                        ["_id", "_index", "_size", "_dim", "_tokens", "_embeddings", "num_", "_layers"]
                            .contains { path.last!.contains($0) }
                    }
                    let path = (Bool.random(using: &rng) && !numeric.isEmpty ? numeric : all).randomElement(using: &rng)!
                    let value = Self.interesting.randomElement(using: &rng)!
                    mutated[file] = Self.setting(mutated[file]!, path, to: value)
                    description.append("\(file) \(path.joined(separator: ".")) = \(value)")
                }
            }
            let line = "round \(round): " + description.joined(separator: "; ")
            try Data(line.utf8).write(to: Self.log)
            for file in files {
                try JSONSerialization.data(withJSONObject: mutated[file]!).write(to: dir.appendingPathComponent(file))
            }
            try Data(damagedWeights).write(to: weightsURL)

            do {
                let captioner = try CaptionerLoader().load(dir)
                var settings = captioner.defaultSettings
                settings.maxNewTokens = min(settings.maxNewTokens, 4)
                settings.minNewTokens = min(settings.minNewTokens, settings.maxNewTokens)
                _ = try captioner.caption(image, settings: settings, progress: { _ in true })
                captioned += 1
            } catch let error as InputError {
                refused += 1
                XCTAssertFalse(error.problem.isEmpty, line)
                XCTAssertFalse(error.description.contains("\n"), "\(line): more than one line: \(error)")
            } catch {
                XCTFail("\(line): not an InputError: \(error)")
            }
        }
        // Both outcomes occur, or the mutations are not reaching the checks.
        XCTAssertGreaterThan(captioned, 10)
        XCTAssertGreaterThan(refused, 60)
    }

    /// Every id the engine indexes with, at and past both ends of the vocabulary (643 tokens): the
    /// folder is refused at load with one line naming the file and the key, where bos 5000 used to
    /// read past the embedding table (and print a caption) and 2^40 crashed. The last valid ids load.
    func testEveryTokenIdIsCheckedAgainstTheVocabularyAtLoad() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-ids-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixture, to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys: [(file: String, path: [String])] = [
            ("config.json", ["text_config", "bos_token_id"]), ("config.json", ["text_config", "eos_token_id"]),
            ("config.json", ["text_config", "pad_token_id"]), ("config.json", ["image_token_index"]),
            ("generation_config.json", ["bos_token_id"]), ("generation_config.json", ["eos_token_id"]),
            ("generation_config.json", ["pad_token_id"]),
        ]
        for (file, path) in keys {
            let url = dir.appendingPathComponent(file)
            let original = try Data(contentsOf: url)
            defer { try? original.write(to: url) }
            let object = try JSONSerialization.jsonObject(with: original) as! [String: Any]
            for value in [-1, 643, 5000, 1 << 31, 1 << 40, Int.max] {
                try JSONSerialization.data(withJSONObject: Self.setting(object, path, to: value)).write(to: url)
                XCTAssertThrowsError(try CaptionerLoader().load(dir), "\(file) \(path) = \(value)") { error in
                    XCTAssertEqual("\(error)", "\(url.path): \(path.joined(separator: ".")) \(value) is not a token of "
                        + "this model (text_config.vocab_size is 643)")
                }
            }
            for value in [0, 642] {
                try JSONSerialization.data(withJSONObject: Self.setting(object, path, to: value)).write(to: url)
                XCTAssertNoThrow(try CaptionerLoader().load(dir), "\(file) \(path) = \(value)")
            }
        }
    }
}
