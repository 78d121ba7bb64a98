import ArgumentParser
import CaptionStore
import Captioning
import Explorer
import Faces
import Foundation
import Recognition
import Study
import Tensor

/// `facecap` / `facecap explore`: the ncurses explorer over a dataset and every model folder.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Browse a face dataset and compare the captioners side by side (the default command).",
        discussion: """
        Models: every folder under Models/ (or models_dir in the config file), plus --models, plus `models` \
        in \(UserConfig.path.path). Datasets: a PNG/JPEG folder, folder-per-class, labels.csv, FER2013, RAF-DB or \
        AffectNet layout. Press ? in the explorer for its keys.
        """
    )

    @Argument(help: "Dataset folder (default: the bundled SampleFaces/).") var dataset: String?
    @Option(help: "Extra comma-separated model folders or names under Models/.") var models: String?
    @Flag(help: "Only the --models given, not every folder under Models/.") var onlyModels = false
    @Option(help: ArgumentHelp(ThemeName.help)) var theme: String?
    @Option(help: "Step to the next face every SECONDS (for a demo on a shared screen).") var autoplay: Double?
    @Option(help: "Caption cache file (default: $XDG_CACHE_HOME/facecap/captions.sqlite).") var cache: String?
    @Flag(help: "Do not read or write the caption cache.") var noCache = false
    @Option(help: "Caption worker threads.") var workers: Int = 2
    @Option(help: "How faces are drawn: auto, kitty, iterm, sixel, blocks, truecolor, 256, grey, ascii (default: image_mode in the config file, else auto).")
    var imageMode: String?
    @Option(help: "Recognizer for the recognizer pane: a folder or DFER-CLIP .pth (default: the first recognizer among the models).")
    var recognizer: String?

    func validate() throws {
        if let autoplay, !(autoplay > 0) { throw ValidationError("--autoplay must be a positive number of seconds") }
        if workers < 1 || workers > 16 { throw ValidationError("--workers must be between 1 and 16") }
    }

    func run() throws {
        let user = try UserConfig.load()
        let datasetURL = URL(fileURLWithPath: dataset ?? user.dataset ?? Locations.sampleFaces.path).standardizedFileURL
        let faces = try FaceDataset.open(datasetURL)
        if faces.items.isEmpty { throw InputError(datasetURL.path, "no PNG or JPEG faces found") }

        var config = try ExplorerConfig(themesDirectory: Locations.bundled("Themes"), themeName: ThemeName.canonical(theme ?? user.theme))
        config.autoplaySeconds = autoplay
        config.workerCount = workers
        config.imageMode = try ImageModeOption.setting(imageMode, user: user)
        config.stderrLogPath = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-explorer.log").path

        // Loading dispatches on the folder's model_type: recognizers get the recognizer pane.
        let folders = try modelFolders(user: user)
        let recognizerFolders = folders.filter(RecognizerLoader.isRecognizer)
        let loaded = ModelLoading.load(folders: folders.filter { !recognizerFolders.contains($0) })
        let cachePath = cache ?? user.cache ?? CaptionCache.defaultPath()
        let cacheStore = noCache ? nil : try CaptionCache(path: cachePath)
        let decode: @Sendable (URL) throws -> RGBImage = { try FaceImageDecoder.decode(contentsOf: $0, alpha: .compositeOntoWhite) }
        let recognizerPane = RecognizerWiring.explorerRecognizer(
            try recognizer.map { try Locations.model($0, missing: "no such model folder or checkpoint") } ?? recognizerFolders.first,
            cache: noCache ? nil : try RecognitionCache(path: cachePath), decode: decode)
        let app = ExplorerApp(
            config: config,
            dataset: ExplorerDataset(name: faces.name, items: faces.items, warnings: faces.warnings,
                                     loadImage: { try $0.loadImage(decodeFile: decode) },
                                     loadFrame: { try $0.loadFrame($1, decodeFile: decode) }),
            models: loaded,
            services: ExplorerServices(captioning: CachedCaptioning(cache: cacheStore, decodeFile: decode),
                                       analyzer: ExplorerWiring.analyze,
                                       actionUnitName: { FACS.unit($0)?.noun },
                                       isRated: ExplorerWiring.ratedMarks(datasetPath: datasetURL.path)),
            recognizer: recognizerPane)
        if case let .signal(number) = try app.run() { Foundation.exit(128 + number) }
    }

    /// Throws on a --models name that names no model, before the explorer starts (not a broken pane).
    func modelFolders(user: UserConfig) throws -> [URL] {
        var folders: [URL] = []
        let root = user.modelsDirectory.map { URL(fileURLWithPath: $0) } ?? Locations.modelsFolder
        if !onlyModels {
            folders += CaptionerLoader.modelFolders(in: root) + RecognizerLoader.folders(in: root)
            folders += user.models.map { URL(fileURLWithPath: $0) }
        }
        folders += try (models ?? "").split(separator: ",").map {
            try Locations.model(String($0).trimmingCharacters(in: .whitespaces), modelsFolder: root)
        }
        var seen = Set<String>()
        return folders.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }
}

/// Loads every model folder, keeping going past failures: a model that does not load gets a pane
/// with its error while the others work.
enum ModelLoading {
    static func load(folders: [URL]) -> [ExplorerModel] {
        let loader = CaptionerLoader()
        return folders.map { folder in
            do {
                return .loaded(try loader.load(folder))
            } catch {
                return .failed(name: folder.lastPathComponent, error: "\(error)")
            }
        }
    }
}

/// The explorer's seams filled with the real modules: study marks, FACS caption analysis.
enum ExplorerWiring {
    /// The list's "rated" mark: faces of this dataset rated in any study of the default study database.
    /// Read once, lazily, on the first worker that asks; no database means nothing is rated.
    static func ratedMarks(datasetPath: String) -> @Sendable (FaceItem) -> Bool {
        final class Marks: @unchecked Sendable {
            let lock = NSLock()
            var ids: Set<String>?
        }
        let marks = Marks()
        let path = StudyDatabase.defaultPath()
        return { item in
            marks.lock.lock()
            defer { marks.lock.unlock() }
            if marks.ids == nil {
                let store = FileManager.default.fileExists(atPath: path) ? try? StudyDatabase.openForReading(path) : nil
                marks.ids = (try? store?.ratedImageIDs(datasetPath: datasetPath)) ?? []
            }
            return marks.ids!.contains(item.id)
        }
    }

    static let analyze: CaptionAnalyzer = { caption, truth in
        let analysis = CaptionAnalysis.analyze(caption)
        let truthEmotions = Set(truth?.emotions ?? [])
        let verdict = truth.flatMap { analysis.verdict(against: $0) }
        var spans: [HighlightSpan] = []
        var disagreeing: [String] = []
        for mention in analysis.emotions {
            // Any emotion other than the ground truth takes the "disagree" colour, also beside a right one.
            let isWrong = verdict != nil && Emotion(label: mention.emotion).map { !truthEmotions.contains($0) } ?? false
            spans.append(HighlightSpan(kind: isWrong ? .disagreeingEmotion : .emotion, range: mention.range))
            if isWrong && !disagreeing.contains(mention.emotion) { disagreeing.append(mention.emotion) }
        }
        for action in analysis.actions { spans.append(HighlightSpan(kind: .action, range: action.range)) }
        return CaptionHighlights(spans: spans, namedEmotions: analysis.namedEmotions.map(\.rawValue),
                                 disagreeingEmotions: disagreeing, verdict: verdict)
    }
}
