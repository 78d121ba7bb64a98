import Foundation

/// One row per (rater, face, model): what a statistician loads into R or pandas.
/// A skipped face still gives one row per model, with empty scores and its `skipped_reason`.
public struct ExportRow: Equatable, Sendable {
    public var study: String
    public var rater: String
    /// 1-based, as the rating screen shows it ("37 / 505").
    public var face: Int
    public var imageID: String
    public var groundTruthEmotion: String?
    /// The real name once revealed, "model-N" before.
    public var model: String
    public var modelNumber: Int
    /// The letter this rater saw the caption under.
    public var letter: String
    public var caption: String
    public var correctness: Int?
    public var completeness: Int?
    public var mostComplete: Bool?
    public var leastComplete: Bool?
    public var comment: String?
    public var skippedReason: String?
    public var firstSubmittedAt: String
    public var submittedAt: String
    public var revision: Int

    /// Column names, snake_case so they are valid identifiers in R and pandas.
    public static let columns = [
        "study", "rater", "face", "image_id", "ground_truth_emotion", "model", "model_number", "letter",
        "caption", "correctness", "completeness", "most_complete", "least_complete", "comment",
        "skipped_reason", "first_submitted_at", "submitted_at", "revision",
    ]

    enum Value {
        case text(String?)
        case integer(Int?)
        case boolean(Bool?)
    }

    var values: [Value] {
        [.text(study), .text(rater), .integer(face), .text(imageID), .text(groundTruthEmotion),
         .text(model), .integer(modelNumber), .text(letter), .text(caption), .integer(correctness),
         .integer(completeness), .boolean(mostComplete), .boolean(leastComplete), .text(comment),
         .text(skippedReason), .text(firstSubmittedAt), .text(submittedAt), .integer(revision)]
    }
}

/// CSV and JSON renderings of export rows.
public enum StudyExport {
    /// RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, a quote, CR or LF,
    /// quotes doubled. Missing values are empty fields (NA in R, NaN in pandas); booleans are 1/0 so
    /// that a column mean is the share.
    public static func csv(_ rows: [ExportRow]) -> String {
        var out = ExportRow.columns.joined(separator: ",") + "\r\n"
        for row in rows {
            out += row.values.map { value -> String in
                switch value {
                case .text(let text): return quoted(text ?? "")
                case .integer(let number): return number.map(String.init) ?? ""
                case .boolean(let flag): return flag.map { $0 ? "1" : "0" } ?? ""
                }
            }.joined(separator: ",")
            out += "\r\n"
        }
        return out
    }

    /// One JSON array of objects with the CSV's column names as keys and explicit `null`s, which
    /// `pandas.read_json(path)` and R's `jsonlite::fromJSON(path)` both turn into a data frame.
    /// (An array rather than JSON Lines: an export is written once, whole, and read whole.)
    public static func json(_ rows: [ExportRow]) throws -> String {
        let objects: [[String: Any]] = rows.map { row in
            var object: [String: Any] = [:]
            for (key, value) in zip(ExportRow.columns, row.values) {
                switch value {
                case .text(let text): object[key] = text ?? NSNull()
                case .integer(let number): object[key] = number ?? NSNull()
                case .boolean(let flag): object[key] = flag ?? NSNull()
                }
            }
            return object
        }
        let data = try JSONSerialization.data(withJSONObject: objects,
                                              options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
        else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension StudyStore {
    /// Every current answer of the study as rows, ordered by face, rater, then letter.
    public func exportRows(study name: String) throws -> [ExportRow] {
        try read("export study \"\(name)\"") { db in
            let study = try Self.loadStudy(db, name: name)
            let items = Dictionary(uniqueKeysWithValues:
                try StoredItem.fetchAll(db, studyID: study.id).map { ($0.position, $0) })
            var rows: [ExportRow] = []
            for answer in try StoredAnswer.fetchAll(db, studyID: study.id) {
                guard let item = items[answer.position] else { continue }
                let order = Blinding.order(seed: study.seed, rater: answer.rater, imageID: item.imageID,
                                           modelCount: study.models.count)
                for (displayIndex, slot) in order.enumerated() {
                    let score = answer.scores[slot]
                    rows.append(ExportRow(
                        study: study.name, rater: answer.rater, face: answer.position + 1,
                        imageID: item.imageID, groundTruthEmotion: item.groundTruthEmotion,
                        model: study.displayName(slot: slot), modelNumber: slot + 1,
                        letter: Blinding.letter(displayIndex), caption: item.captions[slot],
                        correctness: score?.correctness, completeness: score?.completeness,
                        mostComplete: answer.isSkipped ? nil : answer.mostComplete == slot,
                        leastComplete: answer.isSkipped ? nil : answer.leastComplete == slot,
                        comment: answer.comment, skippedReason: answer.skippedReason,
                        firstSubmittedAt: answer.firstSubmittedAt, submittedAt: answer.submittedAt,
                        revision: answer.revision))
                }
            }
            return rows
        }
    }
}
