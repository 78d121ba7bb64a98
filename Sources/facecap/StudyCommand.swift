import ArgumentParser
import Foundation
import Study

/// `facecap study`: the study owner's commands. Raters use `facecap rate`.
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "Create human rating studies of caption models, follow them, report and export the ratings.",
        discussion: """
        A study freezes a random sample of a dataset's faces and each model's caption of them; raters \
        then score the captions blind with `facecap rate NAME` (as their own login). All commands take --db PATH \
        (default $XDG_DATA_HOME/facecap/studies.sqlite, or ~/.local/share/facecap/studies.sqlite).
        """,
        subcommands: [StudyCreateCommand.self, List.self, Status.self, Report.self, Export.self,
                      Reveal.self, Finish.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the studies in the database.")
        @OptionGroup var database: StudyDatabaseOption

        func run() throws {
            let store = try StudyDatabase.openForReading(database.path)
            let studies = try store.studies()
            if studies.isEmpty {
                print("no studies in \(store.path)")
                return
            }
            var rows = [["NAME", "FACES", "MODELS", "RATERS", "STATE", "CREATED"]]
            for study in studies {
                let raters = try store.status(study: study.name).count
                rows.append([study.name, "\(study.itemCount)", "\(study.models.count)", "\(raters)",
                             study.finished ? "finished" : study.revealed ? "revealed" : "blind",
                             StudyText.date(study.createdAt)])
            }
            print(StudyText.table(rows), terminator: "")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each rater's progress in a study.")
        @Argument(help: "The study's name.") var name: String
        @OptionGroup var database: StudyDatabaseOption

        func run() throws {
            let store = try StudyDatabase.openForReading(database.path)
            let study = try StudyDatabase.study(name, in: store)
            let models = (0..<study.models.count).map { study.displayName(slot: $0) }
            print("study \(study.name): \(study.itemCount) faces, \(study.models.count) models "
                + "(\(models.joined(separator: ", "))), "
                + (study.finished ? "finished" : study.revealed ? "revealed" : "blind"))
            print("dataset \(study.datasetPath), seed \(study.seed)")
            if !study.raters.isEmpty { print("raters allowed: \(study.raters.joined(separator: ", "))") }
            let raters = try store.status(study: study.name)
            if raters.isEmpty {
                print("no ratings yet")
                return
            }
            var rows = [["RATER", "RATED", "SKIPPED", "PROGRESS", "LAST ACTIVITY"]]
            for rater in raters {
                rows.append([rater.rater, "\(rater.rated)", "\(rater.skipped)", "\(rater.progress)",
                             rater.lastActivity.map(StudyText.date) ?? "-"])
            }
            print(StudyText.table(rows), terminator: "")
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per-model correctness and completeness with 95% intervals, most/least complete shares, "
                + "by emotion, and Krippendorff's alpha.")
        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
        @Argument(help: "The study's name.") var name: String
        @Option(help: "text (80 columns) or json.") var format: Format = .text
        @OptionGroup var database: StudyDatabaseOption

        func run() throws {
            let store = try StudyDatabase.openForReading(database.path)
            let study = try StudyDatabase.study(name, in: store)
            let report = try store.report(study: study.name)
            switch format {
            case .text: print(report.renderText(), terminator: "")
            case .json: print(try report.renderJSON(), terminator: "")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every rating as one row per (rater, face, model), for R or pandas.")
        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }
        @Argument(help: "The study's name.") var name: String
        @Option(help: "csv (RFC 4180) or json (one array of objects).") var format: Format = .csv
        @Option(name: [.short, .customLong("output")], help: "Write to FILE instead of standard output.")
        var output: String?
        @OptionGroup var database: StudyDatabaseOption

        func run() throws {
            let store = try StudyDatabase.openForReading(database.path)
            let study = try StudyDatabase.study(name, in: store)
            let rows = try store.exportRows(study: study.name)
            let text = format == .csv ? StudyExport.csv(rows) : try StudyExport.json(rows)
            guard let output else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw StudyError.invalidInput("\(output): cannot write the export ("
                    + "\((error as NSError).localizedDescription))")
            }
            FileHandle.standardError.write(Data("facecap: \(rows.count) rows written to \(output)\n".utf8))
        }
    }

    struct Reveal: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show model names to raters, in reports and exports (the study stays open).")
        @Argument(help: "The study's name.") var name: String
        @OptionGroup var database: StudyDatabaseOption

        func run() throws {
            let store = try StudyDatabase.openExisting(database.path)
            let study = try StudyDatabase.study(name, in: store)
            try store.reveal(study: study.name)
            print("study \(study.name) revealed: model names now show on the rating screen, in reports and exports")
        }
    }

    struct Finish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a study to further ratings and reveal its models.")
        @Argument(help: "The study's name.") var name: String
        @OptionGroup var database: StudyDatabaseOption

        func run() throws {
            let store = try StudyDatabase.openExisting(database.path)
            let study = try StudyDatabase.study(name, in: store)
            try store.finish(study: study.name)
            print("study \(study.name) finished: it takes no more ratings, and its model names are revealed")
        }
    }
}

/// Plain-text helpers for the study commands' output.
enum StudyText {
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// Left-aligned columns two spaces apart; the first row is the header.
    static func table(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
