import Foundation
import Faces
import Tensor

/// Loads captioners from model folders and shares language models between them: four captioners
/// over one frozen OPT must cost one OPT. A folder may hold a full BLIP-2 checkpoint, or only the
/// image side plus `facecap.json` = {"language_model": "<folder>"} naming where the OPT weights are
/// (the demo pack; the Exp-BLIP `.pth` files likewise ship no OPT).
public final class ModelRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var languageModels: [String: OPTModel] = [:]
    /// Language-model weight format for every model this registry loads (`--weights`), overriding
    /// each folder's `facecap.json` "weights"; nil keeps the folder's choice (default `native`).
    public let weightFormat: WeightFormat?

    public init(weightFormat: WeightFormat? = nil) {
        self.weightFormat = weightFormat
    }

    /// Model folders directly under `root` (those with a config.json), skipping `_`-prefixed helpers
    /// such as `_language-model`, sorted by name.
    public static func modelFolders(in root: URL) -> [URL] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: root.path) else { return [] }
        return names.sorted().filter { !$0.hasPrefix("_") && !$0.hasPrefix(".") }
            .map { root.appendingPathComponent($0) }
            .filter { fm.fileExists(atPath: $0.appendingPathComponent("config.json").path) }
    }

    public func load(_ directory: URL) throws -> Blip2Captioner {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(directory.path, "no such model folder")
        }
        let configURL = directory.appendingPathComponent("config.json")
        let configBytes = (try? Data(contentsOf: configURL)) ?? Data()
        let config = try Blip2Config.load(configURL)
        let generation = try GenerationConfig.load(directory.appendingPathComponent("generation_config.json"))
        let preprocessorConfig = try PreprocessorConfig.load(modelDirectory: directory, imageSize: config.visionConfig.imageSize)
        let tokenizer = try BPETokenizer(directory: directory)
        let weights = try WeightStore(directory: directory)
        let manifest = try ModelManifest.load(directory)
        let format = weightFormat ?? manifest.weights ?? .native

        let widen: Bool
        let language: OPTModel
        let languageFingerprint: String
        if let lmFolder = manifest.languageModel {
            let lmDirectory = URL(fileURLWithPath: lmFolder, relativeTo: directory).standardizedFileURL
            let lmWeights = try WeightStore(directory: lmDirectory)
            widen = weights.totalBytes + lmWeights.totalBytes < Blip2Model.widenBelowBytes
            language = try sharedLanguageModel(key: lmDirectory.path + "|" + format.rawValue + "|" + String(decoding: try JSONEncoder().encode(config.textConfig.shapeKey), as: UTF8.self)) {
                try OPTModel(config: config.textConfig, weights: lmWeights, widenHalf: widen, format: format)
            }
            languageFingerprint = lmWeights.fingerprint
        } else {
            widen = weights.totalBytes < Blip2Model.widenBelowBytes
            language = try OPTModel(config: config.textConfig, weights: weights, widenHalf: widen, format: format)
            languageFingerprint = ""
        }
        let model = try Blip2Model(config: config, weights: weights, language: language, widenHalf: widen)

        var hash = ContentHash()
        // Bump when decoding code changes what a model outputs, so cached captions are not reused.
        hash.combine("facecap-engine-1")
        hash.combine(weights.fingerprint)
        hash.combine(languageFingerprint)
        configBytes.withUnsafeBytes { hash.combine(bytes: $0) }
        hash.combine(String(tokenizer.vocabSize))
        // Cached captions key on the weight format: 8-bit weights may caption differently. (Native
        // keeps the identity it always had, so existing caches stay valid.)
        if format != .native { hash.combine("weights=" + format.rawValue) }
        let identity = String(format: "%016llx", hash.value)
        return Blip2Captioner(name: directory.lastPathComponent, directory: directory, identity: identity, model: model,
                              tokenizer: tokenizer, preprocessor: ImagePreprocessor(config: preprocessorConfig),
                              generation: generation)
    }

    private func sharedLanguageModel(key: String, make: () throws -> OPTModel) throws -> OPTModel {
        lock.lock()
        defer { lock.unlock() }
        if let model = languageModels[key] { return model }
        let model = try make()
        languageModels[key] = model
        return model
    }

    /// How many distinct language models are loaded (the explorer reports memory with it).
    public var languageModelCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return languageModels.count
    }
}

/// `facecap.json` beside a model's weights: facecap-specific loading hints.
struct ModelManifest: Decodable {
    /// Folder (relative to the model folder) whose weights hold `language_model.*`.
    var languageModel: String?
    /// "native" (as stored) or "q8" (language-model weights quantized to 8 bits at load).
    var weights: WeightFormat?

    enum CodingKeys: String, CodingKey { case languageModel = "language_model", weights }

    static func load(_ directory: URL) throws -> ModelManifest {
        let url = directory.appendingPathComponent("facecap.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return ModelManifest() }
        return try JSONFile.decode(url)
    }
}

extension OPTConfig {
    /// The sizes that must agree for two captioners to share one language model.
    var shapeKey: [Int] { [vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, ffnDim, maxPositionEmbeddings] }
}
