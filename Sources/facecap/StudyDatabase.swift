import ArgumentParser
import Foundation
import Study

/// `--db PATH`, the same on every study and rate command.
struct StudyDatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Study database file.",
        discussion: "Default: $XDG_DATA_HOME/facecap/studies.sqlite, or ~/.local/share/facecap/studies.sqlite "
            + "when XDG_DATA_HOME is unset. One file holds many studies; raters on one host share it."))
    var db: String?

    var path: String { db ?? StudyDatabase.defaultPath() }
}

/// Where studies live and how commands open them, with messages a user can act on.
enum StudyDatabase {
    /// Studies are data the user made (not a cache that may be thrown away), hence XDG_DATA_HOME.
    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return "\(xdg)/facecap/studies.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return "\(home)/.local/share/facecap/studies.sqlite"
    }

    /// For `study create`: makes the folder and the file when needed.
    static func openForWriting(_ path: String) throws -> StudyStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StudyError.invalidInput("\(folder.path): cannot create the study database's folder "
                + "(\((error as NSError).localizedDescription))")
        }
        return try StudyStore(path: path)
    }

    /// For every other command: a missing file is a mistake (a wrong --db), not an empty database.
    static func openExisting(_ path: String) throws -> StudyStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StudyError.invalidInput("\(path): no study database here; create a study with "
                + "`facecap study create`, or name the database with --db")
        }
        return try StudyStore(path: path)
    }

    /// The study, or an error that lists the studies the database does hold.
    static func study(_ name: String, in store: StudyStore) throws -> Study {
        do {
            return try store.study(named: name)
        } catch StudyError.noSuchStudy {
            let known = try store.studies().map(\.name)
            throw StudyError.invalidInput("no study named \"\(name)\" in \(store.path); "
                + (known.isEmpty ? "it holds no studies yet (see `facecap study create --help`)"
                    : "known studies: " + known.joined(separator: ", ")))
        }
    }
}
