import ArgumentParser
import Rating
import Faces
import Foundation
import Study
import Tensor

/// `facecap rate`: the rating screen for one rater.
struct RateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate",
        abstract: "Rate a study's captions blind, face by face, in the terminal.",
        discussion: """
        Shows each face with the models' captions labelled A, B, ... in an order of their own per face \
        and rater; score every caption's correctness and completeness 1-10 (keys 1-9, 0 for 10), Enter \
        saves the face at once. v shows every caption in full, c comments, s skips with a reason, u goes \
        back one face, q quits. Run it again to resume where you stopped. Needs a terminal of at least 80x24.
        """
    )

    @Argument(help: "The study's name (see `facecap study list`).") var name: String
    @Option(help: ArgumentHelp("Your rater id, the same every session (default: your login name; a study "
        + "created with --raters takes only its raters' own login names).")) var rater: String?
    @Option(help: ArgumentHelp(ThemeName.help)) var theme: String?
    @Option(help: "Where the study's dataset is now, if it has moved since the study was created.")
    var dataset: String?
    @OptionGroup var database: StudyDatabaseOption
    @Option(help: "How faces are drawn: auto, kitty, iterm, sixel, blocks, truecolor, 256, grey, ascii (default: image_mode in the config file, else auto).")
    var imageMode: String?

    func run() throws {
        let store = try StudyDatabase.openExisting(database.path)
        let study = try StudyDatabase.study(name, in: store)
        if study.finished { throw StudyError.studyClosed(study.name) }
        let rater = try raterID(for: study)
        let session = try store.openRaterSession(study: study.name, rater: rater)

        let datasetPath = dataset ?? study.datasetPath
        let data = try FaceDataset.open(URL(fileURLWithPath: datasetPath))
        let items = Dictionary(data.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var options = try TerminalOptions(themesDirectory: Locations.bundled("Themes"), themeName: ThemeName.canonical(theme))
        options.imageMode = try ImageModeOption.setting(imageMode, user: try UserConfig.load())
        let app = try RatingApp(backend: StudyRatingBackend(session), options: options) { imageID in
            guard let item = items[imageID] else {
                throw InputError(datasetPath, "has no face \(imageID) any more (pass --dataset DIR if it moved)")
            }
            return try item.loadImage { try FaceImageDecoder.decode(contentsOf: $0, alpha: .compositeOntoWhite) }
        }
        let exit = try app.run()
        print("rater \(rater): \(try session.progress()) faces done in study \(study.name)")
        if case let .signal(signal) = exit { Foundation.exit(128 + signal) }
    }
}

extension RateCommand {
    /// `--rater`, else the login name. A study with a rater list is rated by logins, not by typed ids:
    /// `--rater` may only repeat one's own login name there.
    func raterID(for study: Study) throws -> String {
        let login = LoginName.current
        if !study.raters.isEmpty, let rater, rater != login {
            throw StudyError.invalidInput("study \(study.name) takes ratings from its raters' own logins "
                + "(\(study.raters.joined(separator: ", "))); you are logged in as \(login ?? "an unnamed user"), "
                + "not \(rater)")
        }
        guard let id = rater ?? login else {
            throw StudyError.invalidInput("this login has no user name; give your rater id with --rater ID")
        }
        return id
    }
}

/// The study store as the rating screen sees it: one rater's session.
final class StudyRatingBackend: RatingBackend {
    private let session: RaterSession

    init(_ session: RaterSession) { self.session = session }

    var studyName: String { session.study.name }
    var rater: String { session.rater }
    var instructions: String { session.study.instructions }
    var faceCount: Int { session.study.itemCount }
    func resumePosition() throws -> Int? { try session.resumePosition() }
    func face(at position: Int) throws -> FaceToRate { try session.face(at: position) }
    func submit(_ submission: FaceSubmission) throws -> RatingProgress { try session.submit(submission) }
    func skip(position: Int, reason: String) throws -> RatingProgress { try session.skip(position: position, reason: reason) }
    func progress() throws -> RatingProgress { try session.progress() }
}
