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

    public convenience init(path: String) throws {
        try self.init(path: path, busyTimeout: 10, clock: Date.init, prepare: nil)
    }

    /// `prepare` runs on every new connection (tests use it to simulate a full disk).
    init(path: String, busyTimeout: TimeInterval, clock: @escaping () -> Date,
         prepare: (@Sendable (Database) throws -> Void)?) throws {
        self.path = path
        self.clock = clock
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try prepare?(db)
        }
        pool = try Self.retryingBusy(times: busyRetries, path: path, action: "open the study database") {
            try DatabasePool(path: path, configuration: configuration)
        }
        try Self.retryingBusy(times: busyRetries, path: path, action: "update the database schema") {
            try Schema.migrator.migrate(pool)
        }
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

    /// What the user needs to know, without SQL text or stack details.
    static func reason(_ error: Error) -> String {
        guard let error = error as? DatabaseError else { return "\(error)" }
        switch error.resultCode {
        case .SQLITE_FULL:
            return "the disk (or the database's size limit) is full; nothing of this step was saved"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "another process kept the database locked for too long; nothing was saved, try again"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return "the database is read-only here (\(error.message ?? "permission denied"))"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return "the file is not a usable study database (\(error.message ?? "corrupt"))"
        case .SQLITE_CANTOPEN:
            return "cannot open the file (does its folder exist and is it writable?)"
        case .SQLITE_IOERR:
            return "input/output error (\(error.message ?? "disk failure"))"
        default:
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
    }
}
