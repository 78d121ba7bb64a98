import Foundation
import Tensor

/// Opens a recognizer: a model folder (`config.json` with `"model_type": "dfer-clip"`, safetensors
/// weights, CLIP's vocab.json + merges.txt), or DFER-CLIP's released `.pth` checkpoint.
public enum RecognizerLoader {
    /// Whether `directory` holds a recognizer rather than a captioner (dispatch on `model_type`).
    public static func isRecognizer(_ directory: URL) -> Bool {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("config.json").path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["model_type"] as? String == RecognizerConfig.modelType
    }

    /// Recognizer folders directly under `root` (Models/), sorted by name.
    public static func folders(in root: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().filter { !$0.hasPrefix("_") && !$0.hasPrefix(".") }
            .map { root.appendingPathComponent($0) }.filter(isRecognizer)
    }

    public static func load(_ path: String, classSet: String? = nil, widenHalf: Bool = false) throws -> DFERCLIPRecognizer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(path, "no such model folder or checkpoint")
        }
        if !isDirectory.boolValue {
            return try ReleasedCheckpoint.load(path, classSet: classSet, widenHalf: widenHalf)
        }
        let directory = URL(fileURLWithPath: path)
        var config = try RecognizerConfig.load(directory.appendingPathComponent("config.json"))
        if let classSet {
            let set = try ClassSets.named(classSet)
            config.classes = set.classes
            config.descriptors = set.descriptors
        }
        let store = try WeightStore(directory: directory)
        let weights = try RecognizerWeights(store: store, widenHalf: widenHalf)
        let vocab = directory.appendingPathComponent("vocab.json")
        let tokenizer = FileManager.default.fileExists(atPath: vocab.path) ? try CLIPTokenizer(directory: directory) : nil
        return try DFERCLIPRecognizer(config: config, weights: weights, tokenizer: tokenizer,
                                      fingerprint: fingerprint(store.fingerprint, config))
    }

    /// The weights' identity plus the class set, so editing a descriptor invalidates cached results.
    static func fingerprint(_ weights: String, _ config: RecognizerConfig) -> String {
        let text = weights + "\n" + zip(config.classes, config.descriptors).map { "\($0)\t\($1)" }.joined(separator: "\n")
        var hash = ContentHash()
        hash.combine(text)
        return hash.hex
    }
}
