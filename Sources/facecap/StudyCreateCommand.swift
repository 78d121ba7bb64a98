import ArgumentParser
import CaptionStore
import Captioning
import Faces
import Foundation
import Study
import Tensor

/// `facecap study create`: sample, caption through the cache, freeze.
struct StudyCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a study: sample faces, caption each with every model, freeze the captions.",
        discussion: """
        Draws --sample faces from the dataset (all of them by default), reproducibly from --seed, and \
        captions each with each model using the model's own generation settings. Captions come from the \
        caption cache when present (so `caption --dataset` runs beforehand make this instant) and are \
        stored there otherwise. The study keeps the caption texts and each model's identity (weights \
        hash and settings), so every rater sees the same text even if the models change later.
        """
    )

    @Argument(help: "The study's name: letters, digits, '.', '_' or '-'.") var name: String
    @Option(help: "The dataset folder (or labels file) to sample faces from.") var dataset: String
    @Option(help: "Comma-separated models (folders or names under Models/), 1 to 26.") var models: String
    @Option(help: "How many faces to draw (default: every face of the dataset).") var sample: Int?
    @Option(help: "Seed of the draw and of the blind caption order (default: random, printed).") var seed: UInt64?
    @Option(help: "A text file shown to raters before the first face.") var instructions: String?
    @Option(help: "Caption cache file (default: $XDG_CACHE_HOME/facecap/captions.sqlite).") var cache: String?
    @Option(help: ArgumentHelp("Comma-separated login names: only these users may rate (default: anyone).",
                               valueName: "names"))
    var raters: String?
    @OptionGroup var database: StudyDatabaseOption

    static let defaultInstructions = """
        Rate how well each caption describes the facial expression in the picture. Judge only what \
        the caption says about this face.
        """

    var modelNames: [String] {
        models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    var raterNames: [String] {
        (raters ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Everything that can be checked without the dataset or the models, so a typo fails at once
    /// rather than after captioning every face.
    func validate() throws {
        do {
            try StudyStore.validateStudyName(name)
            try StudyStore.validateRaters(raterNames)
        } catch let error as StudyError {
            throw ValidationError(error.description)
        }
        if modelNames.isEmpty { throw ValidationError("--models needs at least one model") }
        if modelNames.count > Blinding.maxModels {
            throw ValidationError("a study compares 1 to \(Blinding.maxModels) models, got \(modelNames.count)")
        }
        if Set(modelNames).count != modelNames.count { throw ValidationError("--models lists a model twice") }
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1") }
        if raters != nil && raterNames.isEmpty { throw ValidationError("--raters needs at least one login name") }
    }

    func run() throws {
        // Fail before the captioning work, not after it: the instructions, the database and the name
        // in it, the dataset and the sample size, the models are all checked first, and nothing is
        // written until they pass. (A study of the same name made meanwhile fails in createStudy.)
        let text = try instructionsText()
        try StudyDatabase.checkBeforeCreating(database, study: name)
        let datasetURL = URL(fileURLWithPath: dataset).standardizedFileURL
        let data = try FaceDataset.open(datasetURL)
        for warning in data.warnings { FileHandle.standardError.write(Data("facecap: warning: \(warning)\n".utf8)) }
        let seed = seed ?? UInt64.random(in: 0...UInt64(Int64.max))
        let drawn = try StudySampler.sample(imageIDs: data.items.map(\.id), count: sample ?? data.items.count,
                                            seed: seed)
        let itemsByID = Dictionary(data.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        let loader = CaptionerLoader()
        let captioners = try modelNames.map { try loader.load(try Locations.model($0)) }
        if Set(captioners.map(\.name)).count != captioners.count {
            throw StudyError.invalidInput("two of --models are folders with the same name; a study tells models apart by name")
        }
        let store = try StudyDatabase.openForWriting(database)
        let service = CachedCaptioning(cache: try CaptionCache(path: cache ?? CaptionCache.defaultPath())) {
            try FaceImageDecoder.decode(contentsOf: $0, alpha: .compositeOntoWhite)
        }
        var bar = ProgressBar(total: drawn.count * captioners.count)
        var drafts: [StudyItemDraft] = []
        for id in drawn {
            let item = itemsByID[id]!
            var captions: [String] = []
            for captioner in captioners {
                let outcome = try service.caption(item, with: captioner, settings: captioner.defaultSettings)
                captions.append(outcome.result.captions.first ?? "")
                bar.advance("\(captioner.name) \(id)")
            }
            drafts.append(StudyItemDraft(imageID: id, groundTruthEmotion: item.labels?.emotion, captions: captions))
        }
        let identities = try captioners.map { captioner in
            ModelIdentity(name: captioner.name,
                          identity: "\(captioner.identity); settings \(try Self.json(captioner.defaultSettings))")
        }
        let study = try store.createStudy(name: name, datasetPath: datasetURL.path, instructions: text, seed: seed,
                                          models: identities, items: drafts, raters: raterNames)
        print("created study \(study.name): \(study.itemCount) faces x \(study.models.count) models, seed \(seed), "
            + "in \(store.path)")
        if !study.raters.isEmpty { print("raters allowed: \(study.raters.joined(separator: ", "))") }
        print("raters start with: facecap rate \(study.name)" + (database.db.map { " --db \($0)" } ?? "")
            + " (their login name is their rater id)")
    }

    private func instructionsText() throws -> String {
        guard let instructions else { return Self.defaultInstructions }
        do {
            return try String(contentsOfFile: instructions, encoding: .utf8)
        } catch {
            throw InputError(instructions, "cannot read the instructions (a UTF-8 text file): "
                + (error as NSError).localizedDescription)
        }
    }

    /// The settings as sorted-key JSON: the same settings always read the same in the study.
    static func json(_ settings: DecodingSettings) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(settings), as: UTF8.self)
    }
}
