import Foundation
import GRDB

extension StudyStore {
    /// Binds a rater id to a study. The session writes only this rater's answers: there is no API that
    /// takes another rater id, so the rating screen cannot overwrite someone else's work.
    /// A study created with a rater list (`study create --raters`) takes only those raters.
    public func openRaterSession(study name: String, rater: String) throws -> RaterSession {
        try Self.validateRaterID(rater)
        let study = try study(named: name)
        guard study.raters.isEmpty || study.raters.contains(rater) else {
            throw StudyError.invalidInput("\"\(rater)\" is not a rater of study \(study.name) "
                + "(its raters: \(study.raters.joined(separator: ", ")))")
        }
        return RaterSession(store: self, study: study, rater: rater)
    }
}

/// One rater working through one study.
public final class RaterSession {
    public let study: Study
    public let rater: String
    private let store: StudyStore

    init(store: StudyStore, study: Study, rater: String) {
        self.store = store
        self.study = study
        self.rater = rater
    }

    /// The display order of a face for this rater: `order[displayIndex]` is a model slot.
    public func blindOrder(position: Int) throws -> [Int] {
        let item = try itemID(position)
        return Blinding.order(seed: study.seed, rater: rater, imageID: item, modelCount: study.models.count)
    }

    public func progress() throws -> RatingProgress {
        try store.read("read progress") { db in try progress(db) }
    }

    /// The first face (in presentation order) this rater has neither rated nor skipped; nil when done.
    public func resumePosition() throws -> Int? {
        try store.read("find where to resume") { db in
            try Int.fetchOne(db, sql: """
                SELECT position FROM studyItem i WHERE studyId = ? AND NOT EXISTS (
                    SELECT 1 FROM faceAnswer a
                    WHERE a.studyId = i.studyId AND a.position = i.position AND a.rater = ?)
                ORDER BY position LIMIT 1
                """, arguments: [study.id, rater])
        }
    }

    /// A face in this rater's blind order, with their earlier answer if they gave one.
    public func face(at position: Int) throws -> FaceToRate {
        try checkPosition(position)
        return try store.read("read face \(position + 1)") { db in
            let current = try StudyStore.loadStudy(db, name: study.name)
            guard let item = try StoredItem.fetchAll(db, studyID: study.id, position: position).first else {
                throw StudyError.invalidInput("face \(position + 1) is missing from the study")
            }
            let order = Blinding.order(seed: study.seed, rater: rater, imageID: item.imageID,
                                       modelCount: study.models.count)
            let captions = order.enumerated().map { displayIndex, slot in
                FaceToRate.Caption(letter: Blinding.letter(displayIndex), text: item.captions[slot],
                                   modelName: current.revealed ? current.models[slot].name : nil)
            }
            let previous = try StoredAnswer.fetchAll(db, studyID: study.id, rater: rater,
                                                     position: position).first
                .map { try Self.displayed($0, order: order) }
            return FaceToRate(position: position, imageID: item.imageID, captions: captions,
                              previous: previous, progress: try progress(db))
        }
    }

    /// Validates and stores one face in a single transaction. A re-submission replaces this rater's
    /// earlier answer for the face and keeps the replaced one in the answer history.
    @discardableResult
    public func submit(_ submission: FaceSubmission) throws -> RatingProgress {
        try checkPosition(submission.position)
        let (most, least) = try submission.validated(modelCount: study.models.count)
        let order = try blindOrder(position: submission.position)
        var scores: [Int: CaptionScore] = [:]
        for (displayIndex, slot) in order.enumerated() { scores[slot] = submission.scores[displayIndex] }
        let comment = submission.comment.flatMap { $0.isEmpty ? nil : $0 }
        return try save(position: submission.position, scores: scores, most: order[most],
                        least: order[least], comment: comment, skippedReason: nil)
    }

    /// Records that this rater will not rate a face, and why; it counts as finished for progress.
    @discardableResult
    public func skip(position: Int, reason: String) throws -> RatingProgress {
        try checkPosition(position)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StudyError.invalidInput("skipping a face needs a reason") }
        return try save(position: position, scores: [:], most: nil, least: nil, comment: nil,
                        skippedReason: reason)
    }

    // MARK: - Private

    private func save(position: Int, scores: [Int: CaptionScore], most: Int?, least: Int?,
                      comment: String?, skippedReason: String?) throws -> RatingProgress {
        let now = Timestamp.string(store.clock())
        return try store.write("save face \(position + 1) for rater \(rater)") { db in
            // Re-read inside the transaction: the owner may have finished the study meanwhile.
            let finished = try Bool.fetchOne(db, sql: "SELECT finished FROM study WHERE id = ?",
                                             arguments: [study.id]) ?? true
            if finished { throw StudyError.studyClosed(study.name) }

            let answerID: Int64
            if let old = try StoredAnswer.fetchAll(db, studyID: study.id, rater: rater,
                                                   position: position).first,
               let oldID = try Int64.fetchOne(db, sql: """
                   SELECT id FROM faceAnswer WHERE studyId = ? AND rater = ? AND position = ?
                   """, arguments: [study.id, rater, position]) {
                let snapshot = String(decoding: try JSONEncoder().encode(old), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO answerHistory (answerId, revision, replacedAt, snapshot) VALUES (?, ?, ?, ?)
                    """, arguments: [oldID, old.revision, now, snapshot])
                try db.execute(sql: "DELETE FROM rating WHERE answerId = ?", arguments: [oldID])
                try db.execute(sql: """
                    UPDATE faceAnswer SET mostComplete = ?, leastComplete = ?, comment = ?,
                        skippedReason = ?, submittedAt = ?, revision = revision + 1
                    WHERE id = ?
                    """, arguments: [most, least, comment, skippedReason, now, oldID])
                answerID = oldID
            } else {
                try db.execute(sql: """
                    INSERT INTO faceAnswer (studyId, rater, position, mostComplete, leastComplete, comment,
                        skippedReason, submittedAt, firstSubmittedAt, revision)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                    """, arguments: [study.id, rater, position, most, least, comment, skippedReason, now, now])
                answerID = db.lastInsertedRowID
            }
            for (slot, score) in scores.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT INTO rating VALUES (?, ?, ?, ?)",
                               arguments: [answerID, slot, score.correctness, score.completeness])
            }
            return try progress(db)
        }
    }

    private func progress(_ db: Database) throws -> RatingProgress {
        let finished = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM faceAnswer WHERE studyId = ? AND rater = ?
            """, arguments: [study.id, rater]) ?? 0
        return RatingProgress(finished: finished, total: study.itemCount)
    }

    private func checkPosition(_ position: Int) throws {
        guard (0..<study.itemCount).contains(position) else {
            throw StudyError.invalidInput("face \(position + 1) is outside 1...\(study.itemCount)")
        }
    }

    private func itemID(_ position: Int) throws -> String {
        try checkPosition(position)
        return try store.read("read face \(position + 1)") { db in
            guard let id = try String.fetchOne(db, sql: """
                SELECT imageID FROM studyItem WHERE studyId = ? AND position = ?
                """, arguments: [study.id, position]) else {
                throw StudyError.invalidInput("face \(position + 1) is missing from study \(study.name)")
            }
            return id
        }
    }

    private static func displayed(_ answer: StoredAnswer, order: [Int]) throws -> FaceToRate.Answer {
        let scores = order.compactMap { answer.scores[$0] }
        guard answer.isSkipped || scores.count == order.count else {
            throw StudyError.invalidInput("face \(answer.position + 1) of rater \(answer.rater) has "
                + "\(answer.scores.count) ratings for \(order.count) models: the database was edited")
        }
        return FaceToRate.Answer(
            scores: answer.isSkipped ? [] : scores,
            mostComplete: answer.mostComplete.flatMap { order.firstIndex(of: $0) },
            leastComplete: answer.leastComplete.flatMap { order.firstIndex(of: $0) },
            comment: answer.comment, skippedReason: answer.skippedReason,
            submittedAt: try Timestamp.date(answer.submittedAt), revision: answer.revision)
    }
}
