import Foundation
import GRDB

/// One rater's current answer for one face, by model slot (not display order).
struct StoredAnswer: Codable, Equatable {
    var rater: String
    var position: Int
    /// Empty when skipped; otherwise exactly one entry per model slot.
    var scores: [Int: CaptionScore]
    var mostComplete: Int?
    var leastComplete: Int?
    var comment: String?
    var skippedReason: String?
    var firstSubmittedAt: String
    var submittedAt: String
    var revision: Int

    var isSkipped: Bool { skippedReason != nil }

    /// Every answer of a study (or of one rater), ratings included, in (position, rater) order.
    static func fetchAll(_ db: Database, studyID: Int64, rater: String? = nil,
                         position: Int? = nil) throws -> [StoredAnswer] {
        var filter = "a.studyId = ?"
        var arguments: StatementArguments = [studyID]
        if let rater { filter += " AND a.rater = ?"; arguments += [rater] }
        if let position { filter += " AND a.position = ?"; arguments += [position] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, a.rater, a.position, a.mostComplete, a.leastComplete, a.comment,
                   a.skippedReason, a.firstSubmittedAt, a.submittedAt, a.revision,
                   r.slot, r.correctness, r.completeness
            FROM faceAnswer a LEFT JOIN rating r ON r.answerId = a.id
            WHERE \(filter) ORDER BY a.position, a.rater, r.slot
            """, arguments: arguments)
        var answers: [StoredAnswer] = []
        var lastID: Int64?
        for row in rows {
            let id: Int64 = row["id"]
            if id != lastID {
                lastID = id
                answers.append(StoredAnswer(
                    rater: row["rater"], position: row["position"], scores: [:],
                    mostComplete: row["mostComplete"], leastComplete: row["leastComplete"],
                    comment: row["comment"], skippedReason: row["skippedReason"],
                    firstSubmittedAt: row["firstSubmittedAt"], submittedAt: row["submittedAt"],
                    revision: row["revision"]))
            }
            if let slot: Int = row["slot"] {
                answers[answers.count - 1].scores[slot] = CaptionScore(
                    correctness: row["correctness"], completeness: row["completeness"])
            }
        }
        return answers
    }
}

/// A face of a study with its frozen captions, by model slot.
struct StoredItem {
    var position: Int
    var imageID: String
    var groundTruthEmotion: String?
    var captions: [String]

    static func fetchAll(_ db: Database, studyID: Int64, position: Int? = nil) throws -> [StoredItem] {
        var filter = "i.studyId = ?"
        var arguments: StatementArguments = [studyID]
        if let position { filter += " AND i.position = ?"; arguments += [position] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT i.position, i.imageID, i.groundTruthEmotion, c.text
            FROM studyItem i JOIN caption c ON c.studyId = i.studyId AND c.position = i.position
            WHERE \(filter) ORDER BY i.position, c.slot
            """, arguments: arguments)
        var items: [StoredItem] = []
        for row in rows {
            let position: Int = row["position"]
            if items.last?.position != position {
                items.append(StoredItem(position: position, imageID: row["imageID"],
                                        groundTruthEmotion: row["groundTruthEmotion"], captions: []))
            }
            items[items.count - 1].captions.append(row["text"])
        }
        return items
    }
}
