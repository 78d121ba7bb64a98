import ArgumentParser
import CaptionStore
import Captioning
import Faces
import Foundation
import Tensor

/// `facecap caption`: captions image files with one model. The flag names are a contract other
/// tools call; defaults come from the model's generation_config.json.
struct CaptionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caption",
        abstract: "Caption PNG images, or fill the caption cache for a whole dataset.",
        discussion: """
        With IMAGE arguments: prints one caption per image, or with --json one JSON object per line with \
        image, model, caption, captions, token_ids (generated ids only), encode_ms and decode_ms.
        With --dataset: captions every face (or one --shard I/N slice of them) with every --models model \
        into the caption cache, so the explorer and `study create` show them at once. Slices are \
        deterministic, for a Slurm array job or GNU parallel over ssh; merge the caches with `facecap cache import`.
        """
    )

    @Option(name: .long, help: "Model folder (Hugging Face layout), a LAVIS .pth (AU-BLIP, Exp-BLIP), or a model name under Models/.")
    var model: String?

    @Option(name: .long, help: "OPT folder for a LAVIS .pth (facebook/opt-6.7b as downloaded); overrides facecap.json.")
    var languageModel: String?

    @Option(name: .long, help: "Comma-separated models (folders or names under Models/).")
    var models: String?

    @Option(name: .long, help: "Caption a whole dataset into the cache instead of IMAGE files.")
    var dataset: String?

    @Option(name: .long, help: "With --dataset: caption only slice I of N (1-based), e.g. 3/8.")
    var shard: String?

    @Option(name: .long, help: "Caption cache file (default: $XDG_CACHE_HOME/facecap/captions.sqlite).")
    var cache: String?

    @OptionGroup var decoding: DecodingOptions

    @Flag(name: .long, help: "Print one JSON object per line.")
    var json = false

    @Argument(help: "PNG images to caption.")
    var images: [String] = []

    var modelNames: [String] {
        ([model].compactMap { $0 } + (models ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
            .filter { !$0.isEmpty }
    }

    func validate() throws {
        if modelNames.isEmpty { throw ValidationError("give --model DIR or --models A,B,...") }
        if dataset == nil && images.isEmpty { throw ValidationError("give at least one IMAGE, or --dataset DIR") }
        if dataset != nil && !images.isEmpty { throw ValidationError("give IMAGE files or --dataset, not both") }
        if shard != nil && dataset == nil { throw ValidationError("--shard needs --dataset") }
    }

    func run() throws {
        let loader = CaptionerLoader()
        let languageModelURL = languageModel.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        let captioners = try modelNames.map { try loader.load(Locations.model($0), languageModel: languageModelURL) }
        if let dataset {
            try captionDataset(URL(fileURLWithPath: dataset), captioners: captioners)
            return
        }
        for path in images {
            let image = try PNGDecoder.decode(contentsOf: URL(fileURLWithPath: path), alpha: .compositeOntoWhite)
            for captioner in captioners {
                let settings = try decoding.settings(defaults: captioner.defaultSettings)
                let result = try captioner.caption(image, settings: settings, progress: { _ in true })
                if json {
                    print(try CaptionJSON.line(image: path, model: captioner.name, result: result))
                } else {
                    for caption in result.captions { print(captioners.count > 1 ? "\(captioner.name): \(caption)" : caption) }
                }
                fflush(stdout)
            }
        }
    }

    /// The batch path: every face of the (sliced) dataset through every model, via the cache.
    func captionDataset(_ url: URL, captioners: [Blip2Captioner]) throws {
        let data = try FaceDataset.open(url)
        for warning in data.warnings { FileHandle.standardError.write(Data("facecap: warning: \(warning)\n".utf8)) }
        var items = data.items
        if let shard { items = try Shard(parsing: shard).select(items) }
        let cachePath = cache ?? CaptionCache.defaultPath()
        let service = CachedCaptioning(cache: try CaptionCache(path: cachePath)) {
            try PNGDecoder.decode(contentsOf: $0, alpha: .compositeOntoWhite)
        }
        var bar = ProgressBar(total: items.count * captioners.count)
        var computed = 0, cached = 0
        for item in items {
            for captioner in captioners {
                let settings = try decoding.settings(defaults: captioner.defaultSettings)
                let outcome = try service.caption(item, with: captioner, settings: settings)
                if outcome.fromCache { cached += 1 } else { computed += 1 }
                if json { print(try CaptionJSON.line(image: item.id, model: captioner.name, result: outcome.result)); fflush(stdout) }
                bar.advance("\(captioner.name) \(item.id)")
            }
        }
        FileHandle.standardError.write(Data("facecap: \(computed) captions computed, \(cached) already cached, in \(cachePath)\n".utf8))
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
