import Foundation
import Faces
import Tensor

/// A LAVIS `Blip2OPT` checkpoint (the published AU-BLIP and Exp-BLIP `.pth`) loaded as the authors
/// run it: names through `LavisNames`, architecture from the shapes (`LavisArchitecture`) unless a
/// `config.json` (transformers' `Blip2Config`) sits beside the file, `ln_vision` eps 1e-5, the OPT
/// and its tokenizer from the language model folder, image 224 bicubic with the CLIP mean/std, and
/// the authors' decoding: prompt "", beam 5, at most 200 new tokens, stop at "\n".
enum LavisModel {
    static let checkpointExtensions: Set<String> = ["pth", "pt"]

    /// The LAVIS checkpoint in a model folder: a `.pth` (or `.pt`) in a folder without Hugging Face weights.
    static func checkpoint(in folder: URL) -> URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let hfWeights = [WeightStore.singleFileName, WeightStore.indexFileName, WeightStore.pytorchFileName, WeightStore.pytorchIndexFileName]
        guard !names.contains(where: hfWeights.contains) else { return nil }
        let found = names.filter { checkpointExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        return found.first.map { folder.appendingPathComponent($0) }
    }

    /// The authors' decoding (Exp-BLIP `test.py` through LAVIS `Blip2OPT.generate`). LAVIS passes
    /// min_length=1 with only embeddings as input, so the first new token cannot be the stop token.
    static func authorsGeneration(newlineID: Int) -> GenerationConfig {
        var g = GenerationConfig()
        g.numBeams = 5
        g.maxNewTokens = 200
        g.minNewTokens = 1
        g.lengthPenalty = 1
        g.repetitionPenalty = 1
        g.eosTokenIDs = [newlineID]
        return g
    }

    /// A LAVIS checkpoint's image side under engine names, and the architecture that fits it.
    struct Resolved {
        let store: WeightStore
        let tensors: [String: TensorView]
        let config: Blip2Config
    }

    /// Reads and checks the checkpoint. With `languageModel` the OPT (config, weights) comes from
    /// that folder; without it the checkpoint must hold `opt_model.*` and a config.json beside it.
    static func resolve(_ file: URL, languageModel: URL?) throws -> Resolved {
        let folder = file.deletingLastPathComponent()
        let store = try WeightStore(file: file)
        let tensors = try LavisNames.sanitize(store)
        let hasOwnOPT = tensors.keys.contains { $0.hasPrefix("language_model.") }

        var textConfig: OPTConfig?
        if let languageModel {
            let url = languageModel.appendingPathComponent("config.json")
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw InputError(languageModel.path, "no config.json; the language model folder must be facebook/opt-6.7b as downloaded (config.json, vocab.json, merges.txt, the .bin shards and pytorch_model.bin.index.json)")
            }
            textConfig = try JSONFile.decode(url) as OPTConfig
        } else if !hasOwnOPT {
            throw InputError(file.path, "holds no OPT weights (opt_model.*); give --language-model DIR (facebook/opt-6.7b as downloaded), or put a facecap.json {\"language_model\": \"DIR\"} beside it")
        }
        var config: Blip2Config
        let configSource: String
        if let beside = try blip2Config(beside: file) {
            config = beside
            configSource = folder.appendingPathComponent("config.json").path
            if let textConfig { config.textConfig = textConfig }
        } else if let textConfig {
            config = try LavisArchitecture.infer(tensors, text: textConfig, origin: file.path)
            configSource = "the checkpoint's other tensors"
        } else {
            throw InputError(file.path, "holds its own OPT but no language model folder gives its config.json; give --language-model DIR")
        }
        if config.visionConfig.postLayerNormEps == nil { config.visionConfig.postLayerNormEps = Blip2Preset.lnVisionEps }
        try checkComplete(tensors, config: config, includeLanguageModel: languageModel == nil, file: file, source: configSource)
        return Resolved(store: store, tensors: tensors, config: config)
    }

    static func load(_ file: URL, name: String, languageModel: URL?, format: WeightFormat, loader: CaptionerLoader) throws -> Blip2Captioner {
        let folder = file.deletingLastPathComponent()
        let resolved = try resolve(file, languageModel: languageModel)
        let (store, tensors, config) = (resolved.store, resolved.tensors, resolved.config)
        let weights = InMemoryWeights(origin: file.path, tensors: tensors)
        let (language, languageFingerprint, widen) = try loader.languageModel(
            languageModel, config: config.textConfig, format: format, imageSide: weights, imageSideBytes: store.totalBytes)
        let model = try Blip2Model(config: config, weights: weights, language: language, widenHalf: widen)

        let tokenizerFolder = hasTokenizer(folder) ? folder : languageModel ?? folder
        let tokenizer = try BPETokenizer(directory: tokenizerFolder)
        let newline = try newlineID(tokenizer, folder: tokenizerFolder)
        let generationURL = folder.appendingPathComponent("generation_config.json")
        let generation = FileManager.default.fileExists(atPath: generationURL.path)
            ? try GenerationConfig.load(generationURL) : authorsGeneration(newlineID: newline)
        let preprocessor = try PreprocessorConfig.load(modelDirectory: folder, imageSize: config.visionConfig.imageSize)
        let captioner = try Blip2Captioner(name: name, directory: folder, identity: "", model: model, tokenizer: tokenizer,
                                       preprocessor: ImagePreprocessor(config: preprocessor), generation: generation)
        captioner.identity = try loader.identity(weights: store.fingerprint, language: languageFingerprint,
                                                 captioner: captioner, tokenizerFolder: tokenizerFolder)
        return captioner
    }

    /// The id of "\n", where LAVIS stops captions (50118 in OPT's vocabulary).
    static func newlineID(_ tokenizer: BPETokenizer, folder: URL) throws -> Int {
        let ids = tokenizer.encode("\n", addBOS: false)
        guard ids.count == 1 else {
            throw InputError(folder.path, "the tokenizer encodes \"\\n\" as \(ids.count) tokens; the captions' stop token must be one")
        }
        return ids[0]
    }

    /// A transformers `Blip2Config` beside the checkpoint (fixtures, non-standard sizes); a
    /// `config.json` of another kind (the OPT's, when the `.pth` sits in the OPT folder) is not one.
    static func blip2Config(beside file: URL) throws -> Blip2Config? {
        let url = file.deletingLastPathComponent().appendingPathComponent("config.json")
        return isBlip2Config(url) ? try Blip2Config.load(url) : nil
    }

    /// Whether a config.json describes a BLIP-2 model (it has a vision_config), not an OPT or anything else.
    static func isBlip2Config(_ url: URL) -> Bool {
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["vision_config"] != nil
    }

    static func hasTokenizer(_ folder: URL) -> Bool {
        ["tokenizer.json", "vocab.json"].contains { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    }

    /// Every tensor a captioner needs (`CheckpointLayout`, the one list of them) is present with the
    /// shape the architecture implies; problems are reported under the file's own (LAVIS) names.
    static func checkComplete(_ tensors: [String: TensorView], config: Blip2Config, includeLanguageModel: Bool,
                              file: URL, source: String) throws {
        let needed = CheckpointLayout.tensors(for: config, includeLanguageModel: includeLanguageModel)
        let missing = needed.filter { tensors[$0.name] == nil }.map { LavisNames.lavisName($0.name) }
        guard missing.isEmpty else {
            throw InputError(file.path, "lacks \(missing.count) of the \(needed.count) tensors a captioner needs: \(missing.prefix(6).joined(separator: ", "))\(missing.count > 6 ? ", ..." : "")")
        }
        for (name, shape) in needed where tensors[name]!.shape != shape {
            throw InputError(file.path, "tensor \(LavisNames.lavisName(name)) has shape \(tensors[name]!.shape) but \(source) implies \(shape)")
        }
    }
}
