import Foundation
import GRDB

/// Creating, finding, revealing and finishing studies.
extension StudyStore {
    /// Freezes a study: its models and every caption text, so all raters see the same text forever.
    /// The caller has already sampled (`StudySampler`) and captioned the images.
    @discardableResult
    public func createStudy(name: String, datasetPath: String, instructions: String, seed: UInt64,
                            models: [ModelIdentity], items: [StudyItemDraft], raters: [String] = []) throws -> Study {
        try Self.validateStudyName(name)
        try Self.validateRaters(raters)
        guard (1...Blinding.maxModels).contains(models.count) else {
            throw StudyError.invalidInput(
                "a study compares 1 to \(Blinding.maxModels) models, got \(models.count)")
        }
        if let empty = models.first(where: { $0.name.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw StudyError.invalidInput("model name \"\(empty.name)\" is empty")
        }
        if Set(models.map(\.name)).count != models.count {
            throw StudyError.invalidInput("the same model is listed twice")
        }
        guard !items.isEmpty else { throw StudyError.invalidInput("a study needs at least one image") }
        var seen = Set<String>()
        for item in items {
            guard seen.insert(item.imageID).inserted else {
                throw StudyError.invalidInput("image \"\(item.imageID)\" is in the study twice")
            }
            guard item.captions.count == models.count else {
                throw StudyError.invalidInput("image \"\(item.imageID)\" has \(item.captions.count) "
                    + "captions for \(models.count) models")
            }
        }
        let createdAt = clock()
        try write("create study \"\(name)\"") { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM study WHERE name = ?", arguments: [name]) != nil {
                throw StudyError.studyExists(name)
            }
            try db.execute(sql: """
                INSERT INTO study (name, datasetPath, instructions, seed, createdAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [name, datasetPath, instructions, Int64(bitPattern: seed),
                                 Timestamp.string(createdAt)])
            let studyID = db.lastInsertedRowID
            for (slot, model) in models.enumerated() {
                try db.execute(sql: "INSERT INTO studyModel VALUES (?, ?, ?, ?)",
                               arguments: [studyID, slot, model.name, model.identity])
            }
            for (position, item) in items.enumerated() {
                try db.execute(sql: "INSERT INTO studyItem VALUES (?, ?, ?, ?)",
                               arguments: [studyID, position, item.imageID, item.groundTruthEmotion])
                for (slot, text) in item.captions.enumerated() {
                    try db.execute(sql: "INSERT INTO caption VALUES (?, ?, ?, ?)",
                                   arguments: [studyID, position, slot, text])
                }
            }
            for rater in raters {
                try db.execute(sql: "INSERT INTO studyRater VALUES (?, ?)", arguments: [studyID, rater])
            }
        }
        return try study(named: name)
    }

    public func studies() throws -> [Study] {
        try read("list studies") { db in
            try String.fetchAll(db, sql: "SELECT name FROM study ORDER BY createdAt, name")
                .map { try Self.loadStudy(db, name: $0) }
        }
    }

    public func study(named name: String) throws -> Study {
        try read("read study \"\(name)\"") { db in try Self.loadStudy(db, name: name) }
    }

    /// Shows model names to raters and in reports, without closing the study.
    public func reveal(study name: String) throws {
        try write("reveal study \"\(name)\"") { db in
            try db.execute(sql: "UPDATE study SET revealed = 1 WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw StudyError.noSuchStudy(name) }
        }
    }

    /// Closes the study to further ratings and reveals the models.
    public func finish(study name: String) throws {
        try write("finish study \"\(name)\"") { db in
            try db.execute(sql: "UPDATE study SET finished = 1, revealed = 1 WHERE name = ?",
                           arguments: [name])
            if db.changesCount == 0 { throw StudyError.noSuchStudy(name) }
        }
    }

    /// Progress of every rater who has answered at least one face, by rater id.
    public func status(study name: String) throws -> [RaterProgress] {
        try read("read the status of study \"\(name)\"") { db in
            let study = try Self.loadStudy(db, name: name)
            return try Row.fetchAll(db, sql: """
                SELECT rater,
                       SUM(skippedReason IS NULL) AS rated,
                       SUM(skippedReason IS NOT NULL) AS skipped,
                       MAX(submittedAt) AS lastActivity
                FROM faceAnswer WHERE studyId = ? GROUP BY rater ORDER BY rater
                """, arguments: [study.id]).map { row in
                RaterProgress(rater: row["rater"], rated: row["rated"], skipped: row["skipped"],
                              total: study.itemCount,
                              lastActivity: try (row["lastActivity"] as String?).map(Timestamp.date))
            }
        }
    }

    static func loadStudy(_ db: Database, name: String) throws -> Study {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM study WHERE name = ?", arguments: [name])
        else { throw StudyError.noSuchStudy(name) }
        let id: Int64 = row["id"]
        let models = try Row.fetchAll(db, sql: """
            SELECT name, identity FROM studyModel WHERE studyId = ? ORDER BY slot
            """, arguments: [id]).map { ModelIdentity(name: $0["name"], identity: $0["identity"]) }
        let itemCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM studyItem WHERE studyId = ?",
                                         arguments: [id]) ?? 0
        let raters = try String.fetchAll(db, sql: "SELECT rater FROM studyRater WHERE studyId = ? ORDER BY rater",
                                         arguments: [id])
        return Study(id: id, name: row["name"], datasetPath: row["datasetPath"],
                     instructions: row["instructions"], seed: UInt64(bitPattern: row["seed"]),
                     models: models, itemCount: itemCount, revealed: row["revealed"],
                     finished: row["finished"], createdAt: try Timestamp.date(row["createdAt"]), raters: raters)
    }

    /// Names become command-line arguments and file names of exports: keep them plain. Public so a
    /// command can check a name before the slow work (captioning) that precedes `createStudy`.
    public static func validateStudyName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy(allowed.contains), name.first != "-" else {
            throw StudyError.invalidInput("study name \"\(name)\" must be 1-64 letters, digits, '.', '_' "
                + "or '-', not starting with '-'")
        }
    }

    /// The rater list of a restricted study: valid, distinct ids.
    public static func validateRaters(_ raters: [String]) throws {
        for rater in raters { try validateRaterID(rater) }
        if Set(raters).count != raters.count { throw StudyError.invalidInput("--raters lists a rater twice") }
    }

    /// Rater ids are typed by people and shown in tables: printable, trimmed, at most 64 characters.
    public static func validateRaterID(_ rater: String) throws {
        let trimmed = rater.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed == rater, rater.count <= 64,
              rater.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) }) else {
            throw StudyError.invalidInput(
                "rater id \"\(rater)\" must be 1-64 printable characters without surrounding spaces")
        }
    }
}

extension StudyStore {
    /// Image ids of `datasetPath` that some rater has rated (not skipped) in any study of that
    /// dataset: the explorer's "rated" mark.
    public func ratedImageIDs(datasetPath: String) throws -> Set<String> {
        try read("list rated faces") { db in
            let ids = try String.fetchAll(db, sql: """
                SELECT DISTINCT studyItem.imageID FROM faceAnswer
                JOIN study ON study.id = faceAnswer.studyId
                JOIN studyItem ON studyItem.studyId = faceAnswer.studyId AND studyItem.position = faceAnswer.position
                WHERE study.datasetPath = ? AND faceAnswer.skippedReason IS NULL
                """, arguments: [datasetPath])
            return Set(ids)
        }
    }
}
