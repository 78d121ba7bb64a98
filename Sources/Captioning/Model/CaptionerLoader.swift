import Foundation
import Faces
import Tensor

/// Loads captioners and shares language models between them: four captioners over one frozen OPT
/// must cost one OPT. A model is either
/// - a Hugging Face folder (`config.json` + safetensors), holding the OPT itself or naming its folder
///   in `facecap.json` = {"language_model": "<folder>"} (the demo pack), or
/// - a LAVIS `.pth` (the published AU-BLIP / Exp-BLIP), given as the file or as a folder holding it
///   with a `facecap.json` naming the OPT folder (`facebook/opt-6.7b` as downloaded). See `LavisModel`.
public final class CaptionerLoader: @unchecked Sendable {
    /// Bump when engine code changes what a model outputs, so cached captions are not reused.
    static let engineVersion = "facecap-engine-2"

    private let lock = NSLock()
    private var languageModels: [String: (model: OPTModel, fingerprint: String)] = [:]
    /// Language-model weight format for every model this loader loads (`--weights`), overriding
    /// each model's `facecap.json` "weights"; nil keeps the model's choice (default `native`).
    public let weightFormat: WeightFormat?

    public init(weightFormat: WeightFormat? = nil) {
        self.weightFormat = weightFormat
    }

    /// Model folders directly under `root` (those with a BLIP-2 config.json or a LAVIS `.pth`), skipping
    /// `_`-prefixed helpers such as `_language-model` and language model folders, sorted by name.
    public static func modelFolders(in root: URL) -> [URL] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: root.path) else { return [] }
        return names.sorted().filter { !$0.hasPrefix("_") && !$0.hasPrefix(".") }
            .map { root.appendingPathComponent($0) }
            .filter { LavisModel.isBlip2Config($0.appendingPathComponent("config.json")) || LavisModel.checkpoint(in: $0) != nil }
    }

    /// Loads a model folder or a LAVIS checkpoint file. `languageModel` (an OPT folder) overrides
    /// the one `facecap.json` names.
    public func load(_ location: URL, languageModel: URL? = nil) throws -> Blip2Captioner {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: location.path, isDirectory: &isDirectory) else {
            throw InputError(location.path, "no such model folder or checkpoint file")
        }
        guard isDirectory.boolValue else {
            let folder = location.deletingLastPathComponent()
            let manifest = try ModelManifest.load(folder)
            return try LavisModel.load(location, name: location.deletingPathExtension().lastPathComponent,
                                       languageModel: languageModel ?? manifest.languageModelURL(in: folder),
                                       format: weightFormat(manifest), loader: self)
        }
        if let checkpoint = LavisModel.checkpoint(in: location) {
            let manifest = try ModelManifest.load(location)
            return try LavisModel.load(checkpoint, name: location.lastPathComponent,
                                       languageModel: languageModel ?? manifest.languageModelURL(in: location),
                                       format: weightFormat(manifest), loader: self)
        }
        return try loadFolder(location, languageModel: languageModel)
    }

    /// The run's choice (`--weights`), else the model's `facecap.json`, else as stored.
    private func weightFormat(_ manifest: ModelManifest) -> WeightFormat {
        weightFormat ?? manifest.weights ?? .native
    }

    private func loadFolder(_ directory: URL, languageModel: URL?) throws -> Blip2Captioner {
        let config = try Blip2Config.load(directory.appendingPathComponent("config.json"))
        let generation = try GenerationConfig.load(directory.appendingPathComponent("generation_config.json"))
        let preprocessorConfig = try PreprocessorConfig.load(modelDirectory: directory, imageSize: config.visionConfig.imageSize)
        let tokenizer = try BPETokenizer(directory: directory)
        let weights = try WeightStore(directory: directory)
        let manifest = try ModelManifest.load(directory)
        let format = weightFormat(manifest)

        let (language, languageFingerprint, widen) = try self.languageModel(
            languageModel ?? manifest.languageModelURL(in: directory), config: config.textConfig, format: format,
            imageSide: weights, imageSideBytes: weights.totalBytes)
        let model = try Blip2Model(config: config, weights: weights, language: language, widenHalf: widen)
        let captioner = try Blip2Captioner(name: directory.lastPathComponent, directory: directory, identity: "", model: model,
                                       tokenizer: tokenizer, preprocessor: ImagePreprocessor(config: preprocessorConfig),
                                       generation: generation)
        captioner.identity = try identity(weights: weights.fingerprint, language: languageFingerprint,
                                          captioner: captioner, tokenizerFolder: directory)
        return captioner
    }

    /// The OPT in `directory` (its `.bin` or safetensors, named `decoder.*`, `model.decoder.*` or
    /// `language_model.model.decoder.*`), loaded once per folder, shape and weight format for every
    /// captioner. Returns whether half weights are widened at load (only when everything is small).
    /// The OPT a captioner decodes with: the shared one in `directory` when it names one, else the OPT
    /// stored beside the image side in the captioner's own checkpoint. Also says whether half weights
    /// are widened (small models only) and the OPT's fingerprint for the cache identity ("" when it
    /// is part of the captioner's own weights, which its fingerprint already covers).
    func languageModel(_ directory: URL?, config: OPTConfig, format: WeightFormat, imageSide: WeightSource,
                       imageSideBytes: Int) throws -> (OPTModel, String, Bool) {
        if let directory {
            return try sharedLanguageModel(directory, config: config, format: format, imageSideBytes: imageSideBytes)
        }
        let widen = imageSideBytes < Blip2Model.widenBelowBytes
        return (try OPTModel(config: config, weights: imageSide, widenHalf: widen, format: format), "", widen)
    }

    func sharedLanguageModel(_ directory: URL, config: OPTConfig, format: WeightFormat, imageSideBytes: Int) throws -> (OPTModel, String, Bool) {
        lock.lock()
        defer { lock.unlock() }
        let key = directory.standardizedFileURL.path + "|" + format.rawValue + "|" + config.shapeKey.map(String.init).joined(separator: ",")
        let store = try WeightStore(directory: directory)
        let widen = imageSideBytes + store.totalBytes < Blip2Model.widenBelowBytes
        if let shared = languageModels[key] { return (shared.model, shared.fingerprint, widen) }
        let model = try OPTModel(config: config, weights: try OPTNames.sanitize(store), widenHalf: widen, format: format)
        languageModels[key] = (model, store.fingerprint)
        return (model, store.fingerprint, widen)
    }

    /// The cache identity: everything that changes a caption for given decoding settings (which the
    /// cache keys separately): engine version, weights, the resolved model and preprocessing
    /// configuration, the tokenizer's files, the stop tokens, the language model's weight format and
    /// whether this CPU rounds the model's activations to BF16.
    func identity(weights: String, language: String, captioner: Blip2Captioner, tokenizerFolder: URL) throws -> String {
        var hash = ContentHash()
        hash.combine(CaptionerLoader.engineVersion)
        hash.combine(weights)
        hash.combine(language)
        hash.combine(String(reflecting: captioner.model.config))
        hash.combine(String(reflecting: captioner.preprocessor.config))
        for name in TokenizerFiles.names {
            let url = tokenizerFolder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            hash.combine(name)
            let file = try MappedFile(path: url.path)
            withExtendedLifetime(file) { hash.combine(bytes: file.bytes) }
        }
        hash.combine(captioner.eosTokenIDs.map(String.init).joined(separator: ","))
        // 8-bit weights may caption differently. Native adds nothing, so existing caches stay valid.
        // Since greedy q8 also rounds activations to 8 bits, its captions differ from those cached
        // before: "+a8" retires them. On AVX512-BF16 q8 prefill multiplies BF16-rounded weights and
        // activations: "+p16" keeps those captions apart from F32 prefill's (other CPUs, older caches).
        // With AVX512-VNNI beams are rounded to 8 bits as greedy is: "+b8" keeps their captions apart
        // from beams with F32 activations (other CPUs, older caches).
        let format = captioner.model.language.weightFormat
        if format == .q8 {
            hash.combine("weights=q8+a8" + (Linear.multipliesQ8AsBF16(rows: Linear.matVecRows + 1) ? "+p16" : "")
                         + (Q8Weights.multipliesRowsInEightBits ? "+b8" : ""))
        } else if format != .native {
            hash.combine("weights=" + format.rawValue)
        }
        // A cache shared between CPUs with and without AVX512-BF16 must not mix their captions of
        // a large BF16 model. Widened (small) and F16/F32 models add nothing. "+1row": greedy steps
        // round too since decoding one row moved to vdpbf16ps, so greedy captions cached before
        // (F32 activations) are retired.
        if captioner.model.roundsActivationsToBF16 { hash.combine("activations=bf16+1row") }
        return hash.hex
    }

    /// How many distinct language models are loaded (the explorer reports memory with it).
    public var languageModelCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return languageModels.count
    }
}

/// The loader was called a registry; kept so code written against the old name still builds.
@available(*, deprecated, renamed: "CaptionerLoader")
public typealias ModelRegistry = CaptionerLoader

/// `facecap.json` beside a model's weights: facecap-specific loading hints.
struct ModelManifest: Decodable {
    /// Folder (relative to the model folder) holding the OPT weights.
    var languageModel: String?
    /// "native" (as stored) or "q8" (language-model weights quantized to 8 bits at load).
    var weights: WeightFormat?

    enum CodingKeys: String, CodingKey { case languageModel = "language_model", weights }

    static func load(_ directory: URL) throws -> ModelManifest {
        let url = directory.appendingPathComponent("facecap.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return ModelManifest() }
        return try JSONFile.decode(url)
    }

    func languageModelURL(in directory: URL) -> URL? {
        guard let languageModel else { return nil }
        let expanded = (languageModel as NSString).expandingTildeInPath
        return URL(fileURLWithPath: expanded, relativeTo: directory).standardizedFileURL
    }
}

/// The tokenizer files a folder may hold (all hashed into the cache identity).
enum TokenizerFiles {
    static let names = ["tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json",
                        "special_tokens_map.json", "added_tokens.json"]
}

extension OPTConfig {
    /// The sizes that must agree for two captioners to share one language model.
    var shapeKey: [Int] { [vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, ffnDim, maxPositionEmbeddings] }
}
