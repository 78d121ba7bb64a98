import Foundation
import GRDB

/// The study database: one SQLite file (WAL) that may hold many studies, shared by the owner's
/// commands and by any number of rater processes at once.
///
/// Every write is one immediate transaction, so a submitted face is either wholly on disk or not at
/// all; `synchronous = FULL` makes "committed" mean "survives a power cut", not only a killed process.
/// Writers wait up to `busyTimeout` for each other and then retry, so "database is locked" reaches the
/// user only as a clear `StudyError.storage` after `busyRetries` full timeouts.
public final class StudyStore {
    public let path: String
    let pool: DatabasePool
    let clock: () -> Date
    private let busyRetries = 3

    /// How a command opens the file: commands that only read (status, report, export) must work on a
    /// study file they may not write, e.g. another user's, or one on a read-only share.
    public enum Access: Sendable { case readWrite, readOnly }

    public convenience init(path: String, access: Access = .readWrite) throws {
        try self.init(path: path, busyTimeout: 10, clock: Date.init, prepare: nil, access: access)
    }

    /// `prepare` runs on every new connection (tests use it to simulate a full disk).
    init(path: String, busyTimeout: TimeInterval, clock: @escaping () -> Date,
         prepare: (@Sendable (Database) throws -> Void)?, access: Access = .readWrite) throws {
        self.path = path
        self.clock = clock
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.readonly = access == .readOnly
        configuration.prepareDatabase { db in
            if access == .readWrite { try db.execute(sql: "PRAGMA synchronous = FULL") }
            try prepare?(db)
        }
        switch access {
        case .readWrite:
            pool = try Self.retryingBusy(times: busyRetries, path: path, action: "open the study database") {
                try DatabasePool(path: path, configuration: configuration)
            }
            try Self.retryingBusy(times: busyRetries, path: path, action: "update the database schema") {
                try Schema.migrator.migrate(pool)
            }
        case .readOnly:
            pool = try Self.retryingBusy(times: busyRetries, path: path, action: "open the study database to read") {
                try Self.openReadOnly(path: path, configuration: configuration)
            }
            let current = try Self.retryingBusy(times: busyRetries, path: path, action: "read the database schema") {
                try pool.read { try Schema.migrator.hasCompletedMigrations($0) }
            }
            guard current else {
                throw StudyError.storage(path: path, action: "read it", reason: "it was written by an older "
                    + "facecap; someone who may write the file must open it once (e.g. `facecap study list`) to update it")
            }
        }
    }

    /// A reader of a WAL database shares the writers' `-shm` file. While a writer has the study open,
    /// that file exists and the reader joins it. When none does, the reader must not create it: a
    /// `-shm` made by a user who may not write the study, with their ownership, would lock the study's
    /// writers out. Without a writer every committed change is in the main file (no `-wal` either), so
    /// the file is read as immutable, which makes SQLite create nothing.
    private static func openReadOnly(path: String, configuration: Configuration) throws -> DatabasePool {
        let fm = FileManager.default
        if fm.fileExists(atPath: path + "-shm") {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                _ = try pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") }
                return pool
            } catch let error as DatabaseError
                where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode) && !fm.fileExists(atPath: path + "-wal") {
                // A -shm left behind without a -wal: no writer after all.
            }
        }
        return try DatabasePool(path: immutableURI(path), configuration: configuration)
    }

    /// `file:` URI of `path` with `immutable=1` (Debian's and Ubuntu's SQLite take URI file names).
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }

    // MARK: - Reading and writing with clear errors

    func read<T>(_ action: String, _ body: (Database) throws -> T) throws -> T {
        try Self.retryingBusy(times: busyRetries, path: path, action: action) {
            try pool.read(body)
        }
    }

    /// One transaction; committed before this returns.
    func write<T>(_ action: String, _ body: (Database) throws -> T) throws -> T {
        try Self.retryingBusy(times: busyRetries, path: path, action: action) {
            try pool.write(body)
        }
    }

    private static func retryingBusy<T>(times: Int, path: String, action: String,
                                        _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let error as StudyError {
                throw error
            } catch let error as DatabaseError
                where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED)
                && attempt < times {
                attempt += 1
                continue
            } catch {
                throw StudyError.storage(path: path, action: action, reason: Self.reason(error))
            }
        }
    }

    /// Why a file that looks writable still is not: SQLite's write-ahead log lives beside it.
    public static let walHint = "SQLite's WAL writes FILE-wal and FILE-shm beside the file, so whoever "
        + "writes a study needs write access to the file and to its folder (for raters sharing one "
        + "study: a group-writable folder, see the README)"

    /// What the user needs to know, without SQL text or stack details.
    static func reason(_ error: Error) -> String {
        guard let error = error as? DatabaseError else { return "\(error)" }
        switch error.resultCode {
        case .SQLITE_FULL:
            return "the disk (or the database's size limit) is full; nothing of this step was saved"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "another process kept the database locked for too long; nothing was saved, try again"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return "the database is read-only here (\(error.message ?? "permission denied")); " + walHint
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return "the file is not a usable study database (\(error.message ?? "corrupt"))"
        case .SQLITE_CANTOPEN:
            return "cannot open the file (does its folder exist?); " + walHint
        case .SQLITE_IOERR:
            return "input/output error (\(error.message ?? "disk failure"))"
        default:
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
    }
}
