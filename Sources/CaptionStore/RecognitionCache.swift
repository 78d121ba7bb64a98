import Foundation
import GRDB
import Tensor

/// Recognizer results, in their own table of the caption cache's SQLite file: a row per
/// (model identity, image or clip content hash, frame window), holding the result as JSON (the
/// `facecap recognize --json` fields). A separate connection and table, created when first used, so
/// the captions' schema and its migrations are untouched.
public final class RecognitionCache: @unchecked Sendable {
    public let path: String
    private let pool: DatabasePool

    public init(path: String) throws {
        self.path = path
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS recognition (
                        model_identity TEXT NOT NULL,
                        image_hash TEXT NOT NULL,
                        frames TEXT NOT NULL,
                        model_name TEXT NOT NULL,
                        image_id TEXT NOT NULL,
                        result TEXT NOT NULL,
                        created_at DATETIME NOT NULL,
                        PRIMARY KEY (model_identity, image_hash, frames)
                    ) WITHOUT ROWID
                    """)
            }
        } catch let error as DatabaseError {
            throw InputError(path, "cannot open the recognition cache (\(error.message ?? "\(error)"))")
        }
    }

    /// `frames` names the frame window ("all" for the whole clip or still, "12-27" for a window).
    public func lookup(model identity: String, imageHash: String, frames: String) throws -> Data? {
        try guarded {
            try pool.read { db in
                try String.fetchOne(db, sql: "SELECT result FROM recognition WHERE model_identity = ? AND image_hash = ? AND frames = ?",
                                    arguments: [identity, imageHash, frames])
            }
        }.map { Data($0.utf8) }
    }

    public func store(_ result: Data, model identity: String, modelName: String, imageHash: String, imageID: String,
                      frames: String, createdAt: Date = Date()) throws {
        try guarded {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO recognition (model_identity, image_hash, frames, model_name, image_id, result, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [identity, imageHash, frames, modelName, imageID, String(decoding: result, as: UTF8.self), createdAt])
            }
        }
    }

    public var count: Int {
        get throws { try guarded { try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recognition") ?? 0 } } }
    }

    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw InputError(path, "recognition cache: \(error.message ?? "\(error)")")
        }
    }
}
