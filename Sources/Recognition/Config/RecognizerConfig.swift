import Foundation
import Tensor

/// A recognizer folder's `config.json`: DFER-CLIP's sizes, its classes and their descriptors.
///
/// Defaults are DFER-CLIP's own (CLIP ViT-B/32, its text transformer, one temporal layer of 8 x 64 heads,
/// 8 context vectors), so a released checkpoint needs only its classes; the demo model writes every key.
public struct RecognizerConfig: Codable, Sendable, Equatable {
    public static let modelType = "dfer-clip"

    public struct Vision: Codable, Sendable, Equatable {
        public var imageSize = 224
        public var patchSize = 32
        public var width = 768
        public var layers = 12
        public var heads = 12

        enum CodingKeys: String, CodingKey { case imageSize = "image_size", patchSize = "patch_size", width, layers, heads }
        public init() {}
    }

    public struct Text: Codable, Sendable, Equatable {
        public var contextLength = 77
        public var vocabSize = 49408
        public var width = 512
        public var layers = 12
        public var heads = 8

        enum CodingKeys: String, CodingKey { case contextLength = "context_length", vocabSize = "vocab_size", width, layers, heads }
        public init() {}
    }

    public struct Temporal: Codable, Sendable, Equatable {
        public var frames = 16
        public var layers = 1
        public var heads = 8
        public var dimHead = 64
        public var mlpDim = 1024

        enum CodingKeys: String, CodingKey { case frames, layers, heads, dimHead = "dim_head", mlpDim = "mlp_dim" }
        public init() {}
    }

    public var modelType = RecognizerConfig.modelType
    public var embedDim = 512
    public var nCtx = 8
    public var vision = Vision()
    public var text = Text()
    public var temporal = Temporal()
    public var classes: [String] = []
    public var descriptors: [String] = []

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", embedDim = "embed_dim", nCtx = "n_ctx", vision, text, temporal, classes, descriptors
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? RecognizerConfig.modelType
        embedDim = try c.decodeIfPresent(Int.self, forKey: .embedDim) ?? 512
        nCtx = try c.decodeIfPresent(Int.self, forKey: .nCtx) ?? 8
        vision = try c.decodeIfPresent(Vision.self, forKey: .vision) ?? Vision()
        text = try c.decodeIfPresent(Text.self, forKey: .text) ?? Text()
        temporal = try c.decodeIfPresent(Temporal.self, forKey: .temporal) ?? Temporal()
        classes = try c.decodeIfPresent([String].self, forKey: .classes) ?? []
        descriptors = try c.decodeIfPresent([String].self, forKey: .descriptors) ?? []
    }

    /// Reads `config.json`; every problem names the file.
    public static func load(_ url: URL) throws -> RecognizerConfig {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(url.path, FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such file")
        }
        let config: RecognizerConfig
        do {
            config = try JSONDecoder().decode(RecognizerConfig.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw InputError(url.path, "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw InputError(url.path, "not valid JSON")
        }
        try config.validate(path: url.path)
        return config
    }

    /// Sizes that would make the forward pass read out of bounds, and classes that disagree with their descriptors.
    public func validate(path: String) throws {
        func require(_ ok: Bool, _ problem: String) throws { if !ok { throw InputError(path, problem) } }
        try require(modelType == RecognizerConfig.modelType, "model_type \"\(modelType)\" is not \"\(RecognizerConfig.modelType)\"")
        let v = vision, t = text, m = temporal
        try require(v.patchSize > 0 && v.imageSize >= v.patchSize && v.imageSize % v.patchSize == 0,
                    "vision.image_size \(v.imageSize) is not a multiple of patch_size \(v.patchSize)")
        try require(v.width > 0 && v.heads > 0 && v.width % v.heads == 0, "vision.width \(v.width) is not divisible by heads \(v.heads)")
        try require(t.width > 0 && t.heads > 0 && t.width % t.heads == 0, "text.width \(t.width) is not divisible by heads \(t.heads)")
        try require(t.contextLength > nCtx + 2 && t.vocabSize > 0, "text.context_length \(t.contextLength) leaves no room for a descriptor")
        try require(m.frames > 0 && m.heads > 0 && m.dimHead > 0 && m.mlpDim > 0, "temporal sizes must be positive")
        try require(embedDim > 0 && nCtx >= 0, "embed_dim and n_ctx must be positive")
        for (name, n) in [("vision.layers", v.layers), ("text.layers", t.layers), ("temporal.layers", m.layers)] {
            try require(n >= 0 && n <= 1000, "\(name) \(n) is out of range")
        }
        try require(!classes.isEmpty, "no classes")
        try require(Set(classes).count == classes.count, "a class is listed twice")
        try require(descriptors.count == classes.count,
                    "classes and descriptors disagree: \(classes.count) classes but \(descriptors.count) descriptors")
    }
}
