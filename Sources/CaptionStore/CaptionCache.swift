import Captioning
import Foundation
import GRDB
import Tensor

/// Captions already computed, so revisiting a face is instant and a cluster run can be merged back.
///
/// One SQLite file (WAL, so readers never wait for the writer; a busy timeout, so several facecap
/// processes can share it). A row is keyed by
/// - the model's identity (`FaceCaptioner.identity`, a hash of its weights and configs),
/// - the image's content hash (`SHA256Digest`, SHA-256 of the file's bytes),
/// - the decoding settings as canonical JSON (`CacheKey.settingsJSON`),
/// and holds the `CaptionResult` plus the model's display name, the image's dataset id and when it
/// was made, for people reading the file with `sqlite3`.
public final class CaptionCache: @unchecked Sendable {
    public let path: String
    private let pool: DatabasePool

    /// Opens or creates the cache at `path`, creating missing folders.
    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        do {
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            pool = try DatabasePool(path: path, configuration: Self.configuration(readonly: false))
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw InputError(path, "cannot open caption cache (\(error.message ?? "\(error)"))")
        } catch {
            throw InputError(path, "cannot open caption cache (\(error.localizedDescription))")
        }
    }

    /// `$XDG_CACHE_HOME/facecap/captions.sqlite`, else `~/.cache/facecap/captions.sqlite`. The CLI's
    /// `--cache PATH` overrides it by passing its own path to `init(path:)`. A relative
    /// XDG_CACHE_HOME is ignored, as the XDG spec asks.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return "\(xdg)/facecap/captions.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return "\(home)/.cache/facecap/captions.sqlite"
    }

    public func lookup(model identity: String, imageHash: String, settings: DecodingSettings) throws -> CaptionResult? {
        let key = try CacheKey.settingsJSON(settings)
        let row = try guarded {
            try pool.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT captions, token_ids, encode_ms, decode_ms, token_logprobs, attention FROM caption
                    WHERE model_identity = ? AND image_hash = ? AND settings = ?
                    """, arguments: [identity, imageHash, key])
            }
        }
        guard let row else { return nil }
        return try Self.result(from: row, path: path)
    }

    /// Stores a result, replacing an earlier one under the same key (same weights, image and
    /// settings give the same captions, so the newest row is as good as any), except that recorded
    /// attention is kept when the new result has none.
    public func store(_ result: CaptionResult, model identity: String, modelName: String, imageHash: String,
                      imageID: String, settings: DecodingSettings, createdAt: Date = Date()) throws {
        let key = try CacheKey.settingsJSON(settings)
        let captions = try CacheKey.json(result.captions)
        let tokenIDs = try CacheKey.json(result.tokenIDs)
        let logprobs = try CacheKey.json(result.tokenLogprobs)
        let attention = try result.attention.map { try CacheKey.json($0) }
        try guarded {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO caption
                    (model_identity, image_hash, settings, model_name, image_id, captions, token_ids,
                     encode_ms, decode_ms, created_at, token_logprobs, attention)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (model_identity, image_hash, settings) DO UPDATE SET
                    model_name = excluded.model_name, image_id = excluded.image_id, captions = excluded.captions,
                    token_ids = excluded.token_ids, encode_ms = excluded.encode_ms, decode_ms = excluded.decode_ms,
                    created_at = excluded.created_at, token_logprobs = excluded.token_logprobs,
                    attention = COALESCE(excluded.attention, caption.attention)
                    """, arguments: [identity, imageHash, key, modelName, imageID, captions, tokenIDs,
                                     result.encodeMs, result.decodeMs, createdAt, logprobs, attention])
            }
        }
    }

    /// The distinct model names of the cached rows (what a cache holds, for people and tests).
    public func modelNames() throws -> [String] {
        try guarded { try pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT model_name FROM caption ORDER BY 1") } }
    }

    /// Merges another cache file (e.g. one shard of a cluster run) into this one. Rows whose key is
    /// already here are kept as they are and counted as skipped. The whole import is one
    /// transaction: a malformed file adds nothing.
    public func `import`(from other: URL) throws -> (added: Int, skipped: Int) {
        guard FileManager.default.fileExists(atPath: other.path) else {
            throw InputError(other.path, "no such file")
        }
        let rows: [Row]
        do {
            let source = try DatabaseQueue(path: other.path, configuration: Self.configuration(readonly: true))
            rows = try source.read { db in
                guard try db.tableExists("caption"),
                      Set(try db.columns(in: "caption").map(\.name)).isSuperset(of: Self.columns) else {
                    throw InputError(other.path, "not a facecap caption cache (no caption table)")
                }
                // A cache from before a later column was added imports with that column empty.
                let present = Set(try db.columns(in: "caption").map(\.name))
                let select = Self.columns + Self.laterColumns.map { present.contains($0) ? $0 : "NULL AS \($0)" }
                return try Row.fetchAll(db, sql: "SELECT \(select.joined(separator: ", ")) FROM caption")
            }
        } catch let error as InputError {
            throw error
        } catch let error as DatabaseError {
            throw InputError(other.path, "not a readable caption cache (\(error.message ?? "\(error)"))")
        }
        for (index, row) in rows.enumerated() {
            do {
                _ = try Self.result(from: row, path: other.path)
            } catch let error as InputError {
                throw InputError(other.path, "row \(index + 1): \(error.problem)")
            }
        }
        let added = try guarded {
            try pool.write { db -> Int in
                var added = 0
                let all = Self.columns + Self.laterColumns
                let statement = try db.makeStatement(sql: """
                    INSERT OR IGNORE INTO caption (\(all.joined(separator: ", ")))
                    VALUES (\(all.map { _ in "?" }.joined(separator: ", ")))
                    """)
                for row in rows {
                    try statement.execute(arguments: StatementArguments(all.map { row[$0] as DatabaseValue }))
                    added += db.changesCount
                }
                return added
            }
        }
        return (added, rows.count - added)
    }

    public var count: Int {
        get throws { try guarded { try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM caption") ?? 0 } } }
    }

    // MARK: - Storage

    private static let columns = ["model_identity", "image_hash", "settings", "model_name", "image_id",
                                  "captions", "token_ids", "encode_ms", "decode_ms", "created_at"]
    /// Columns added by later migrations: NULL in rows written before them.
    private static let laterColumns = ["token_logprobs", "attention"]

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: caption") { db in
            try db.execute(sql: """
                CREATE TABLE caption (
                    model_identity TEXT NOT NULL,
                    image_hash TEXT NOT NULL,
                    settings TEXT NOT NULL,
                    model_name TEXT NOT NULL,
                    image_id TEXT NOT NULL,
                    captions TEXT NOT NULL,
                    token_ids TEXT NOT NULL,
                    encode_ms REAL NOT NULL,
                    decode_ms REAL NOT NULL,
                    created_at DATETIME NOT NULL,
                    PRIMARY KEY (model_identity, image_hash, settings)
                ) WITHOUT ROWID
                """)
        }
        // Per-token log-probs (JSON [[Float]]) and recorded attention (JSON CaptionAttention). Older
        // rows keep NULL and read back with neither.
        migrator.registerMigration("v2: token_logprobs, attention") { db in
            try db.execute(sql: "ALTER TABLE caption ADD COLUMN token_logprobs TEXT")
            try db.execute(sql: "ALTER TABLE caption ADD COLUMN attention TEXT")
        }
        return migrator
    }

    private static func configuration(readonly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.busyMode = .timeout(10)
        // GRDB 7 opens write transactions IMMEDIATE itself, so a writer waits here for another
        // process's writer instead of failing when its read lock cannot be upgraded.
        return configuration
    }

    private static func result(from row: Row, path: String) throws -> CaptionResult {
        let captionsText: String? = row["captions"]
        let tokenText: String? = row["token_ids"]
        let encodeMs: Double? = row["encode_ms"]
        let decodeMs: Double? = row["decode_ms"]
        guard let captionsText, let tokenText, let encodeMs, let decodeMs,
              let captions = try? JSONDecoder().decode([String].self, from: Data(captionsText.utf8)),
              let tokenIDs = try? JSONDecoder().decode([[Int]].self, from: Data(tokenText.utf8)) else {
            throw InputError(path, "malformed caption row (captions or token ids are not JSON)")
        }
        var logprobs: [[Float]] = []
        if let text: String = row["token_logprobs"] {
            guard let decoded = try? JSONDecoder().decode([[Float]].self, from: Data(text.utf8)) else {
                throw InputError(path, "malformed caption row (token_logprobs is not JSON)")
            }
            logprobs = decoded
        }
        var attention: CaptionAttention?
        if let text: String = row["attention"] {
            guard let decoded = try? JSONDecoder().decode(CaptionAttention.self, from: Data(text.utf8)) else {
                throw InputError(path, "malformed caption row (attention is not JSON)")
            }
            attention = decoded
        }
        return CaptionResult(captions: captions, tokenIDs: tokenIDs, encodeMs: encodeMs, decodeMs: decodeMs,
                             tokenLogprobs: logprobs, attention: attention)
    }

    /// SQLite failures after opening (disk full, file deleted under us) reach the user as one line.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw InputError(path, "caption cache: \(error.message ?? "\(error)")")
        }
    }
}
