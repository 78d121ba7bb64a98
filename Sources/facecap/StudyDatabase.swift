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

    /// For `study create`: makes the file when needed, and the folder only when it is the default
    /// one (a --db in a missing folder is a typo more often than a wish for new folders). A new file in
    /// a group-writable folder is made group-writable too, so the group's raters can share it (SQLite
    /// gives its -wal and -shm files the database file's permissions).
    static func openForWriting(_ option: StudyDatabaseOption) throws -> StudyStore {
        try checkBeforeCreating(option, study: nil)
        let path = option.path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let fm = FileManager.default
        if !fm.fileExists(atPath: folder.path) {
            do {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw StudyError.invalidInput("\(folder.path): cannot create the study database's folder "
                    + "(\((error as NSError).localizedDescription))")
            }
        }
        if !fm.fileExists(atPath: path) {
            try SharedStudyFile.create(path)
        }
        try requireWritable(path)
        return try StudyStore(path: path)
    }

    /// What `study create` can check before its slow work, writing nothing: a --db in a missing
    /// folder, a database this user may not write, a study of that name already in it.
    static func checkBeforeCreating(_ option: StudyDatabaseOption, study name: String?) throws {
        let path = option.path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let fm = FileManager.default
        if option.db != nil && !fm.fileExists(atPath: folder.path) {
            throw StudyError.invalidInput("\(path): the folder \(folder.path) does not exist; create it first "
                + "(facecap makes only its default folder)")
        }
        guard fm.fileExists(atPath: path) else { return }
        try requireWritable(path)
        if let name, try openForReading(path).studies().contains(where: { $0.name == name }) {
            throw StudyError.studyExists(name)
        }
    }

    /// For commands that write an existing database (rate, reveal, finish).
    static func openExisting(_ path: String) throws -> StudyStore {
        try requireFile(path)
        try requireWritable(path)
        return try StudyStore(path: path)
    }

    /// For commands that only read (list, status, report, export): a file this user may not write
    /// (another user's, a read-only share) is opened read-only instead of failing.
    static func openForReading(_ path: String) throws -> StudyStore {
        try requireFile(path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fm = FileManager.default
        let writable = fm.isWritableFile(atPath: path) && fm.isWritableFile(atPath: folder)
        return try StudyStore(path: path, access: writable ? .readWrite : .readOnly)
    }

    /// A missing file is a mistake (a wrong --db), not an empty database.
    private static func requireFile(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StudyError.invalidInput("\(path): no study database here; create a study with "
                + "`facecap study create`, or name the database with --db")
        }
    }

    /// Says which permission is missing before SQLite fails less clearly (or, for the folder, only
    /// at the first write): writing needs the file and, for the -wal and -shm files, its folder.
    private static func requireWritable(_ path: String) throws {
        let fm = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !fm.isWritableFile(atPath: path) {
            throw StudyError.invalidInput("\(path): you (\(LoginName.current ?? "this user")) may not write "
                + "this study database; " + StudyStore.walHint.replacingOccurrences(of: "FILE", with: path))
        }
        let sidecars = [path + "-wal", path + "-shm"].filter { fm.fileExists(atPath: $0) }
        if let locked = sidecars.first(where: { !fm.isWritableFile(atPath: $0) }) {
            throw StudyError.invalidInput("\(locked): you (\(LoginName.current ?? "this user")) may not write "
                + "it; " + StudyStore.walHint.replacingOccurrences(of: "FILE", with: path))
        }
        if !fm.isWritableFile(atPath: folder) && sidecars.count < 2 {
            throw StudyError.invalidInput("\(folder): you (\(LoginName.current ?? "this user")) may not write "
                + "this folder; " + StudyStore.walHint.replacingOccurrences(of: "FILE", with: path))
        }
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
