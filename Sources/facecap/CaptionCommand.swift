import ArgumentParser
import Captioning
import Faces
import Foundation
import Tensor

/// `facecap caption`: captions image files with one model. The flag names are a contract other
/// tools call; defaults come from the model's generation_config.json.
struct CaptionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caption",
        abstract: "Caption PNG images with a BLIP-2-family model.",
        discussion: "Prints one caption per image, or with --json one JSON object per line with image, caption, captions, token_ids (generated ids only), encode_ms and decode_ms."
    )

    @Option(name: .long, help: "Model folder (Hugging Face layout).")
    var model: String

    @OptionGroup var decoding: DecodingOptions

    @Flag(name: .long, help: "Print one JSON object per line.")
    var json = false

    @Argument(help: "PNG images to caption.")
    var images: [String] = []

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one IMAGE") }
    }

    func run() throws {
        let captioner = try ModelRegistry().load(URL(fileURLWithPath: model))
        let settings = try decoding.settings(defaults: captioner.defaultSettings)
        for path in images {
            let image = try PNGDecoder.decode(contentsOf: URL(fileURLWithPath: path))
            let result = try captioner.caption(image, settings: settings, progress: { _ in true })
            if json {
                print(try CaptionJSON.line(image: path, model: captioner.name, result: result))
            } else {
                for caption in result.captions { print(caption) }
            }
            fflush(stdout)
        }
    }
}

/// Decoding flags shared by `caption` and `bench`.
struct DecodingOptions: ParsableArguments {
    @Option(help: "Beam width (1 = greedy).") var numBeams: Int?
    @Option(help: "Most tokens to generate.") var maxNewTokens: Int?
    @Option(help: "Fewest tokens to generate before end-of-sequence is allowed.") var minNewTokens: Int?
    @Option(help: "Beam score = log-prob / length^L.") var lengthPenalty: Float?
    @Option(help: "Penalise tokens already in the sequence (1 = off).") var repetitionPenalty: Float?
    @Option(help: "Text placed after </s> to steer the caption.") var prompt: String?
    @Flag(help: "Nucleus sampling instead of beam search.") var sample = false
    @Option(help: "Nucleus probability mass (with --sample).") var topP: Float?
    @Option(help: "Softmax temperature (with --sample).") var temperature: Float?
    @Option(help: "Random seed (with --sample).") var seed: UInt64?
    @Option(help: "Captions per image (samples, or best beams).") var numCaptions: Int?

    func settings(defaults: DecodingSettings) throws -> DecodingSettings {
        var s = defaults
        if let numBeams { s.numBeams = numBeams }
        if let maxNewTokens { s.maxNewTokens = maxNewTokens }
        if let minNewTokens { s.minNewTokens = minNewTokens }
        if let lengthPenalty { s.lengthPenalty = lengthPenalty }
        if let repetitionPenalty { s.repetitionPenalty = repetitionPenalty }
        if let prompt { s.prompt = prompt }
        if sample {
            s.sample = true
            if numBeams == nil { s.numBeams = 1 }
        }
        if let topP { s.topP = topP }
        if let temperature { s.temperature = temperature }
        if let seed { s.seed = seed }
        if let numCaptions { s.numCaptions = numCaptions }
        if !sample && (topP != nil || temperature != nil || seed != nil) {
            throw ValidationError("--top-p, --temperature and --seed need --sample")
        }
        return s
    }
}

enum CaptionJSON {
    struct Line: Encodable {
        var image: String
        var model: String
        var caption: String
        var captions: [String]
        var token_ids: [Int]
        var all_token_ids: [[Int]]
        var encode_ms: Double
        var decode_ms: Double
    }

    static func line(image: String, model: String, result: CaptionResult) throws -> String {
        let line = Line(image: image, model: model, caption: result.captions.first ?? "", captions: result.captions,
                        token_ids: result.tokenIDs.first ?? [], all_token_ids: result.tokenIDs,
                        encode_ms: (result.encodeMs * 100).rounded() / 100, decode_ms: (result.decodeMs * 100).rounded() / 100)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(line), as: UTF8.self)
    }
}
