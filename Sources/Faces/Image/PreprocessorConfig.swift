import Foundation
import Tensor

/// `preprocessor_config.json` as transformers reads it for the Blip image processors; absent keys
/// take `BlipImageProcessor`'s class defaults (384x384 bicubic, rescale 1/255, OpenAI CLIP mean/std).
/// Keys this model family never uses (crop, pad, processor_class, ...) are ignored.
public struct PreprocessorConfig: Decodable, Equatable, Sendable {
    public enum Size: Equatable, Sendable {
        /// Resize to exactly this, ignoring aspect ratio (what BLIP-2 checkpoints ship).
        case exact(width: Int, height: Int)
        /// Resize so the shorter side is this long, keeping the aspect ratio.
        case shortestEdge(Int)
    }

    public var doResize = true
    public var size = Size.exact(width: 384, height: 384)
    public var resample = ResampleFilter.bicubic
    public var doRescale = true
    public var rescaleFactor = 1.0 / 255.0
    public var doNormalize = true
    public var imageMean: [Double] = [0.48145466, 0.4578275, 0.40821073]
    public var imageStd: [Double] = [0.26862954, 0.26130258, 0.27577711]
    /// Decoded images are RGB already (`AlphaHandling` decides transparency); kept for fidelity.
    public var doConvertRGB = true

    public init() {}

    enum CodingKeys: String, CodingKey {
        case doResize = "do_resize", size, resample, doRescale = "do_rescale"
        case rescaleFactor = "rescale_factor", doNormalize = "do_normalize"
        case imageMean = "image_mean", imageStd = "image_std", doConvertRGB = "do_convert_rgb"
    }

    private struct SizeDict: Decodable {
        var height: Int?
        var width: Int?
        var shortest_edge: Int?
        var longest_edge: Int?
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func bad(_ key: CodingKeys, _ why: String) -> DecodingError {
            .dataCorruptedError(forKey: key, in: c, debugDescription: why)
        }
        doResize = try c.decodeIfPresent(Bool.self, forKey: .doResize) ?? doResize
        if c.contains(.size), try !c.decodeNil(forKey: .size) {
            if let side = try? c.decode(Int.self, forKey: .size) {
                // Legacy integer size; Blip processors default_to_square.
                size = .exact(width: side, height: side)
            } else {
                let dict = try c.decode(SizeDict.self, forKey: .size)
                if let h = dict.height, let w = dict.width, dict.shortest_edge == nil {
                    size = .exact(width: w, height: h)
                } else if let edge = dict.shortest_edge, dict.longest_edge == nil, dict.height == nil, dict.width == nil {
                    size = .shortestEdge(edge)
                } else {
                    throw bad(.size, "size must be {height, width} or {shortest_edge}")
                }
            }
        }
        switch size {
        case let .exact(w, h) where w <= 0 || h <= 0: throw bad(.size, "size must be positive")
        case let .shortestEdge(e) where e <= 0: throw bad(.size, "size must be positive")
        default: break
        }
        if let number = try c.decodeIfPresent(Int.self, forKey: .resample) {
            guard let filter = ResampleFilter(rawValue: number) else {
                throw bad(.resample, "resample \(number) is not supported (1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)")
            }
            resample = filter
        }
        doRescale = try c.decodeIfPresent(Bool.self, forKey: .doRescale) ?? doRescale
        rescaleFactor = try c.decodeIfPresent(Double.self, forKey: .rescaleFactor) ?? rescaleFactor
        doNormalize = try c.decodeIfPresent(Bool.self, forKey: .doNormalize) ?? doNormalize
        imageMean = try Self.perChannel(c, .imageMean) ?? imageMean
        imageStd = try Self.perChannel(c, .imageStd) ?? imageStd
        guard imageStd.allSatisfy({ $0 != 0 }) else { throw bad(.imageStd, "image_std must not contain 0") }
        doConvertRGB = try c.decodeIfPresent(Bool.self, forKey: .doConvertRGB) ?? doConvertRGB
    }

    /// transformers accepts one number for all channels or one per channel.
    private static func perChannel(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [Double]? {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        if let one = try? c.decode(Double.self, forKey: key) { return [one, one, one] }
        let values = try c.decode([Double].self, forKey: key)
        guard values.count == 3 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.rawValue) needs 3 values, got \(values.count)")
        }
        return values
    }

    /// Reads and validates a preprocessor_config.json; any problem is an `InputError` on that file.
    public static func load(contentsOf url: URL) throws -> PreprocessorConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError(url.path, "cannot read file: \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(PreprocessorConfig.self, from: data) } catch let error as DecodingError {
            throw InputError(url.path, "invalid preprocessor config: \(describe(error))")
        }
    }

    /// A model folder's image preprocessing: `preprocessor_config.json` (transformers 4.x and the
    /// Salesforce repos), else the `image_processor` entry of `processor_config.json` (what
    /// transformers 5.x's Blip2Processor.save_pretrained writes), else Blip's defaults at `imageSize`.
    public static func load(modelDirectory dir: URL, imageSize: Int) throws -> PreprocessorConfig {
        let preprocessor = dir.appendingPathComponent("preprocessor_config.json")
        if FileManager.default.fileExists(atPath: preprocessor.path) { return try load(contentsOf: preprocessor) }
        let processor = dir.appendingPathComponent("processor_config.json")
        if FileManager.default.fileExists(atPath: processor.path) {
            struct Wrapper: Decodable {
                var imageProcessor: PreprocessorConfig?
                enum CodingKeys: String, CodingKey { case imageProcessor = "image_processor" }
            }
            do {
                let data = try Data(contentsOf: processor)
                if let config = try JSONDecoder().decode(Wrapper.self, from: data).imageProcessor { return config }
            } catch let error as DecodingError {
                throw InputError(processor.path, "invalid image_processor: \(describe(error))")
            } catch {
                throw InputError(processor.path, "cannot read file")
            }
        }
        var config = PreprocessorConfig()
        config.size = .exact(width: imageSize, height: imageSize)
        return config
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(context), let .typeMismatch(_, context), let .valueNotFound(_, context), let .keyNotFound(_, context):
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            return key.isEmpty ? context.debugDescription : "\(key): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
