import Foundation
import Faces
import Tensor

/// `facecap convert --lavis`: a LAVIS checkpoint plus its OPT folder written as a standard
/// transformers `Blip2ForConditionalGeneration` folder (config.json, model.safetensors, tokenizer,
/// preprocessor and generation configs), so the published Exp-BLIP / AU-BLIP load with
/// `from_pretrained` and in facecap as plain folders.
///
/// Names are the engine's, which are transformers'; tensors keep their stored dtypes (a mixed
/// F16/F32 file loads in transformers, which casts to the requested dtype). transformers has no
/// setting for `ln_vision`'s eps 1e-5 (it reuses the blocks' 1e-6); the config carries it as
/// `vision_config.post_layernorm_eps`, which facecap reads and transformers ignores.
public enum LavisConversion {
    public struct Summary: Sendable {
        public let tensors: Int
        public let bytes: Int
        public let imageTokenID: Int
        public let newlineID: Int
    }

    public static func convert(checkpoint: URL, languageModel: URL, output: URL) throws -> Summary {
        let fm = FileManager.default
        if fm.fileExists(atPath: output.path), !((try? fm.contentsOfDirectory(atPath: output.path)) ?? [""]).isEmpty {
            throw InputError(output.path, "already exists and is not empty; give a new folder")
        }
        let resolved = try LavisModel.resolve(checkpoint, languageModel: languageModel)
        let config = resolved.config
        let lmStore = try WeightStore(directory: languageModel)
        let lm = try OPTNames.sanitize(lmStore)
        _ = try OPTModel(config: config.textConfig, weights: lm, widenHalf: false)  // every OPT tensor, right shapes

        let tokenizer = try BPETokenizer(directory: languageModel)
        let newline = try LavisModel.newlineID(tokenizer, folder: languageModel)
        let imageToken = tokenizer.id(of: "<image>") ?? tokenizer.vocabSize
        guard imageToken < config.textConfig.vocabSize else {
            throw InputError(languageModel.path, "no free embedding row for the <image> token: the tokenizer has \(tokenizer.vocabSize) ids and the OPT \(config.textConfig.vocabSize) rows")
        }

        var tensors = resolved.tensors.filter { !$0.key.hasPrefix("language_model.") }
        for (name, view) in lm.tensors where name != OPTNames.head + "weight" { tensors[name] = view }  // lm_head is tied
        let ordered = tensors.keys.sorted().map { tensors[$0]! }

        do { try fm.createDirectory(at: output, withIntermediateDirectories: true) } catch {
            throw InputError(output.path, "cannot create folder: \(error.localizedDescription)")
        }
        try SafetensorsWriter.stream(ordered, metadata: ["format": "pt"], to: output.appendingPathComponent("model.safetensors"))
        let text = try jsonObject(languageModel.appendingPathComponent("config.json"))
        try write(configJSON(config, text: text, imageToken: imageToken), "config.json", in: output)
        try write(generationJSON(newline: newline, text: config.textConfig), "generation_config.json", in: output)
        let imageProcessor = preprocessorJSON(size: config.visionConfig.imageSize)
        try write(imageProcessor, "preprocessor_config.json", in: output)
        try write(["processor_class": "Blip2Processor", "num_query_tokens": .integer(config.numQueryTokens), "image_processor": imageProcessor],
                  "processor_config.json", in: output)
        try writeTokenizer(from: languageModel, to: output, imageToken: imageToken)
        return Summary(tensors: ordered.count, bytes: ordered.reduce(0) { $0 + $1.byteCount }, imageTokenID: imageToken, newlineID: newline)
    }

    /// A Float as the JSON number it was written as (1e-05, not 9.99999974737875e-06).
    static func number(_ x: Float) -> JSONValue { .number(Double("\(x)")!) }

    static func configJSON(_ c: Blip2Config, text: [String: JSONValue], imageToken: Int) -> JSONValue {
        let v = c.visionConfig, q = c.qformerConfig
        var textConfig = text
        textConfig["model_type"] = "opt"
        for key in ["_name_or_path", "architectures"] { textConfig[key] = nil }
        return [
            "architectures": ["Blip2ForConditionalGeneration"], "model_type": "blip-2",
            "num_query_tokens": .integer(c.numQueryTokens), "image_token_index": .integer(imageToken),
            "use_decoder_only_language_model": true, "initializer_factor": 1.0, "initializer_range": 0.02,
            "vision_config": [
                "model_type": "blip_2_vision_model", "hidden_size": .integer(v.hiddenSize),
                "intermediate_size": .integer(v.intermediateSize), "num_hidden_layers": .integer(v.numHiddenLayers),
                "num_attention_heads": .integer(v.numAttentionHeads), "image_size": .integer(v.imageSize),
                "patch_size": .integer(v.patchSize), "hidden_act": .string(v.hiddenAct), "qkv_bias": .bool(v.qkvBias),
                "layer_norm_eps": number(v.layerNormEps), "attention_dropout": 0.0,
                "post_layernorm_eps": number(v.postLayerNormEps ?? v.layerNormEps),
            ],
            "qformer_config": [
                "model_type": "blip_2_qformer", "hidden_size": .integer(q.hiddenSize),
                "num_hidden_layers": .integer(q.numHiddenLayers), "num_attention_heads": .integer(q.numAttentionHeads),
                "intermediate_size": .integer(q.intermediateSize), "hidden_act": .string(q.hiddenAct),
                "layer_norm_eps": number(q.layerNormEps), "cross_attention_frequency": .integer(q.crossAttentionFrequency),
                "encoder_hidden_size": .integer(q.encoderHiddenSize ?? v.hiddenSize),
                "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
            ],
            "text_config": .object(textConfig),
        ]
    }

    /// The authors' decoding (see `LavisModel.authorsGeneration`).
    static func generationJSON(newline: Int, text: OPTConfig) -> JSONValue {
        ["num_beams": 5, "max_new_tokens": 200, "min_new_tokens": 1, "length_penalty": 1.0, "repetition_penalty": 1.0,
         "eos_token_id": .integer(newline), "bos_token_id": .integer(text.bosTokenID), "pad_token_id": .integer(text.padTokenID),
         "do_sample": false]
    }

    static func preprocessorJSON(size: Int) -> JSONValue {
        let clip = PreprocessorConfig()  // Blip's defaults are the CLIP statistics LAVIS uses
        return ["image_processor_type": "BlipImageProcessor", "do_resize": true,
                "size": ["height": .integer(size), "width": .integer(size)],
                "resample": 3, "do_rescale": true, "rescale_factor": .number(1.0 / 255.0), "do_normalize": true,
                "image_mean": .array(clip.imageMean.map { .number($0) }), "image_std": .array(clip.imageStd.map { .number($0) }),
                "do_convert_rgb": true]
    }

    /// The OPT's GPT-2 files, with `<image>` added as a special token at `imageToken`.
    static func writeTokenizer(from source: URL, to output: URL, imageToken: Int) throws {
        let fm = FileManager.default
        for name in ["vocab.json", "merges.txt", "special_tokens_map.json"] {
            let from = source.appendingPathComponent(name)
            guard fm.fileExists(atPath: from.path) else { continue }
            do { try fm.copyItem(at: from, to: output.appendingPathComponent(name)) } catch {
                throw InputError(output.appendingPathComponent(name).path, "cannot write: \(error.localizedDescription)")
            }
        }
        var config = try jsonObject(source.appendingPathComponent("tokenizer_config.json"))
        config["tokenizer_class"] = config["tokenizer_class"] ?? "GPT2Tokenizer"
        config["add_bos_token"] = config["add_bos_token"] ?? true
        var decoder: [String: JSONValue] = [:]
        if case .object(let existing)? = config["added_tokens_decoder"] { decoder = existing }
        decoder[String(imageToken)] = ["content": "<image>", "lstrip": false, "normalized": false, "rstrip": false,
                                       "single_word": false, "special": true]
        config["added_tokens_decoder"] = .object(decoder)
        try write(.object(config), "tokenizer_config.json", in: output)
        var added = try jsonObject(source.appendingPathComponent("added_tokens.json"))
        added["<image>"] = .integer(imageToken)
        try write(.object(added), "added_tokens.json", in: output)
    }

    /// A JSON file's top-level object; empty when the file is absent.
    static func jsonObject(_ url: URL) throws -> [String: JSONValue] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        let file = try MappedFile(path: url.path)
        let value: JSONValue
        do { value = try withExtendedLifetime(file) { try JSONValue.parse(file.bytes) } } catch {
            throw InputError(url.path, "not valid JSON")
        }
        guard case .object(let members) = value else { throw InputError(url.path, "is \(value.kindName), not a JSON object") }
        return members
    }

    static func write(_ value: JSONValue, _ name: String, in folder: URL) throws {
        let url = folder.appendingPathComponent(name)
        do { try Data((value.text() + "\n").utf8).write(to: url, options: .atomic) } catch {
            throw InputError(url.path, "cannot write: \(error.localizedDescription)")
        }
    }
}
