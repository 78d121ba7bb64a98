import Foundation
import Tensor
@testable import Captioning

/// The parity fixtures made by `Training/make_parity_fixtures.py` with transformers 5.x: tiny random
/// BLIP-2 models and their reference outputs (Tests/Fixtures/parity/<model>/).
struct ParityFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/parity")
    static let testPNG = root.deletingLastPathComponent().appendingPathComponent("test.png")

    static var all: [ParityFixture] {
        get throws {
            let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
            return try names.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/reference.json").path) }
                .map { try ParityFixture(name: $0) }
        }
    }

    let name: String
    let directory: URL
    let reference: [String: Any]
    let tensors: SafetensorsFile

    init(name: String) throws {
        self.name = name
        directory = Self.root.appendingPathComponent(name)
        let data = try Data(contentsOf: directory.appendingPathComponent("reference.json"))
        reference = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        tensors = try SafetensorsFile(path: directory.appendingPathComponent("reference.safetensors").path)
    }

    func floats(_ tensor: String) throws -> [Float] { try tensors.tensor(named: tensor).floats() }

    func ints(_ key: String) -> [Int] { (reference[key] as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue } ?? [] }

    var generationCases: [[String: Any]] { reference["generation"] as? [[String: Any]] ?? [] }

    /// Loads the model the way the app does (registry, tokenizer, preprocessor).
    func captioner() throws -> Blip2Captioner { try CaptionerLoader().load(directory) }
}

/// Largest absolute difference, and where.
func maxAbsDiff(_ a: [Float], _ b: [Float]) -> (value: Float, index: Int) {
    precondition(a.count == b.count, "length \(a.count) vs \(b.count)")
    var worst: Float = 0, at = 0
    for i in a.indices {
        let d = abs(a[i] - b[i])
        if d > worst || d.isNaN { worst = d; at = i }
    }
    return (worst, at)
}

extension DecodingSettings {
    /// The generate() kwargs a fixture recorded, as facecap settings.
    init(generateKwargs k: [String: Any]) {
        self.init()
        func num(_ key: String) -> NSNumber? { k[key] as? NSNumber }
        numBeams = num("num_beams")?.intValue ?? 1
        maxNewTokens = num("max_new_tokens")?.intValue ?? 20
        minNewTokens = num("min_new_tokens")?.intValue ?? 0
        lengthPenalty = num("length_penalty")?.floatValue ?? 1
        repetitionPenalty = num("repetition_penalty")?.floatValue ?? 1
        earlyStopping = (k["early_stopping"] as? Bool) ?? false
        numCaptions = num("num_return_sequences")?.intValue ?? 1
        padTokenID = num("pad_token_id")?.intValue ?? 1
    }
}
