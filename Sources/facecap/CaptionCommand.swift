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
        abstract: "Caption PNG or JPEG images, or fill the caption cache for a whole dataset.",
        discussion: """
        With IMAGE arguments: prints one caption per image (prefixed with the image, the model and the \
        caption's number when there are several of any), or with --json one JSON object per line with \
        image, model, caption, captions, token_ids (generated ids only), token_logprobs (each generated id's \
        log-probability after the logits processors; beam search: along the returned beam), encode_ms and \
        decode_ms; with --attention also attention: one entry per generated id, the ViT patch grid as rows of \
        numbers summing to 1 (where that token looked: attention, not proof); with --occlude also occluded.
        An image or face that cannot be read is skipped and listed at the end with its reason; the exit \
        status is then 2 when the others were captioned, 1 when none was.
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

    @Option(name: .long, help: "Language-model weights: native (as stored) or q8 (8-bit, quantized at load; overrides facecap.json).")
    var weights: WeightFormat?

    @Flag(name: .long, help: "Print one JSON object per line.")
    var json = false

    @Flag(name: .long, help: "Record where each token looked (with --json: the attention field).")
    var attention = false

    @Option(name: .long, help: "Grey out part of the face first: upper, lower, left, right, or X,Y,W,H as fractions of the image.")
    var occlude: String?

    @Argument(help: "PNG or JPEG images to caption.")
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
        if attention && !json { throw ValidationError("--attention needs --json") }
    }

    func run() throws {
        let loader = CaptionerLoader(weightFormat: weights)
        let languageModelURL = languageModel.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        let captioners = try modelNames.map { try loader.load(try Locations.model($0), languageModel: languageModelURL) }
        let region = try occlude.map { try OcclusionRegion(parsing: $0) }
        if let dataset {
            try captionDataset(URL(fileURLWithPath: dataset), captioners: captioners, occlusion: region)
            return
        }
        let settings = try captioners.map { try decoding.settings(defaults: $0.defaultSettings) }
        var failures = BatchFailures()
        for path in images {
            var image: RGBImage
            do {
                image = try FaceImageDecoder.decode(contentsOf: URL(fileURLWithPath: path), alpha: .compositeOntoWhite)
            } catch {
                failures.record(path, error)
                continue
            }
            if let region { image = Occlusion.apply(region, to: image) }
            for (captioner, settings) in zip(captioners, settings) {
                let result = try captioner.caption(image, settings: settings, recordAttention: attention, progress: { _ in true })
                if json {
                    print(try CaptionJSON.line(image: path, model: captioner.name, result: result, occluded: region))
                } else {
                    for (number, caption) in result.captions.enumerated() {
                        print(CaptionLine.plain(caption, image: images.count > 1 ? path : nil,
                                                model: captioners.count > 1 ? captioner.name : nil,
                                                number: result.captions.count > 1 ? number + 1 : nil))
                    }
                }
                fflush(stdout)
            }
        }
        try failures.finish(total: images.count, noun: "images")
    }

    /// The batch path: every face of the (sliced) dataset through every model, via the cache. A face
    /// that cannot be read is skipped and listed at the end; the model or the cache failing stops the run.
    func captionDataset(_ url: URL, captioners: [Blip2Captioner], occlusion: OcclusionRegion?) throws {
        let data = try FaceDataset.open(url)
        for warning in data.warnings { FileHandle.standardError.write(Data("facecap: warning: \(warning)\n".utf8)) }
        var items = data.items
        if let shard { items = try Shard(parsing: shard).select(items) }
        let settings = try captioners.map { try decoding.settings(defaults: $0.defaultSettings) }
        let cachePath = cache ?? CaptionCache.defaultPath()
        let service = CachedCaptioning(cache: try CaptionCache(path: cachePath)) {
            try FaceImageDecoder.decode(contentsOf: $0, alpha: .compositeOntoWhite)
        }
        var bar = ProgressBar(total: items.count * captioners.count)
        var computed = 0, cached = 0
        var failures = BatchFailures()
        for item in items {
            for (index, (captioner, settings)) in zip(captioners, settings).enumerated() {
                let outcome: CachedCaptioning.Outcome
                do {
                    outcome = try service.caption(item, with: captioner, settings: settings, recordAttention: attention,
                                                  occlusion: occlusion)
                } catch let error as InputError where BatchFailures.isAbout(error, item) {
                    failures.record(item.id, error)
                    // The face is unreadable for every model: count its remaining steps as done.
                    for _ in index..<captioners.count { bar.advance("skipped \(item.id)") }
                    break
                }
                if outcome.fromCache { cached += 1 } else { computed += 1 }
                if json {
                    print(try CaptionJSON.line(image: item.id, model: captioner.name, result: outcome.result, occluded: occlusion))
                    fflush(stdout)
                }
                bar.advance("\(captioner.name) \(item.id)")
            }
        }
        FileHandle.standardError.write(Data(("facecap: \(computed) captions computed, \(cached) already cached"
            + (failures.isEmpty ? "" : ", \(failures.count) unreadable \(failures.count == 1 ? "face" : "faces") skipped") + ", in \(cachePath)\n").utf8))
        try failures.finish(total: items.count, noun: "faces")
    }
}

/// Plain `caption` output: the caption alone for one image, one model and one caption; otherwise
/// prefixed with what tells the lines apart, e.g. "face_01.png Exp-BLIP #2: The face shows ...".
enum CaptionLine {
    static func plain(_ caption: String, image: String?, model: String?, number: Int?) -> String {
        let label = [image, model, number.map { "#\($0)" }].compactMap { $0 }.joined(separator: " ")
        return label.isEmpty ? caption : "\(label): \(caption)"
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
        // Ranges are Captioning's one check; checked here so a bad flag fails before any image is read.
        try s.validate()
        return s
    }

    /// Only which flags go together; what values are allowed is `DecodingSettings.validate`'s.
    func validate() throws {
        if !sample && (topP != nil || temperature != nil || seed != nil) {
            throw ValidationError("--top-p, --temperature and --seed need --sample")
        }
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
        var token_logprobs: [Float]
        var encode_ms: Double
        var decode_ms: Double
        /// Only with --attention: per generated id of `caption`, the patch grid (rows of numbers summing to 1).
        var attention: [[[Float]]]?
        /// Only with --occlude: the region that was greyed out.
        var occluded: String?
    }

    static func line(image: String, model: String, result: CaptionResult, occluded: OcclusionRegion? = nil) throws -> String {
        var grids: [[[Float]]]?
        if let a = result.attention, let maps = a.tokenMaps.first {
            grids = maps.map { map in (0..<a.gridRows).map { r in Array(map[(r * a.gridColumns)..<((r + 1) * a.gridColumns)]) } }
        }
        let line = Line(image: image, model: model, caption: result.captions.first ?? "", captions: result.captions,
                        token_ids: result.tokenIDs.first ?? [], all_token_ids: result.tokenIDs,
                        token_logprobs: result.tokenLogprobs.first ?? [],
                        encode_ms: (result.encodeMs * 100).rounded() / 100, decode_ms: (result.decodeMs * 100).rounded() / 100,
                        attention: grids, occluded: occluded?.label)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(line), as: UTF8.self)
    }
}
