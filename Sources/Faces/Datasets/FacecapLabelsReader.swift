import Foundation
import Tensor

/// facecap's own labels file, `labels.csv` at the dataset root (the demo set `SampleFaces/` uses it).
///
/// Format (RFC 4180 CSV, UTF-8):
/// ```
/// file,emotion,aus,source
/// faces/0001.png,happiness,6:3 12:4,synthetic (facecap generator)
/// 0002.png,fear and surprise,1+2+5+26,
/// 0003.png,happy,AU6 AU12:C,"photo, CC BY 4.0"
/// 0004.png,,,
/// ```
/// - The first line is a header. Column names are case-insensitive and may come in any order;
///   `file` is required, `emotion`, `aus` and `source` are optional, other columns are ignored.
/// - `file`: path relative to the folder holding labels.csv, `/`-separated. A PNG with the listed
///   stem is preferred, then the listed JPEG or a JPEG with its stem; a row naming only another kind
///   of image is skipped (counted in a warning). Each file may appear once; later duplicates are
///   skipped with a warning.
/// - `emotion`: empty = unknown. Otherwise one emotion word or several joined by " and " (also
///   `+`, `,`, `/`): the canonical nouns happiness, sadness, surprise, fear, anger, disgust,
///   contempt, neutral, or the adjectives happy, sad, surprised, fearful/afraid, angry, disgusted,
///   contemptuous. Stored canonically ("happy+fearful" -> "happiness and fear").
/// - `aus`: empty = no action units labelled. Tokens separated by spaces and/or `+`; each token is
///   an AU number 1-99 with an optional `AU` prefix and an optional intensity after `:` — a number
///   0-5 or a FACS letter A-E (A = 1 ... E = 5). An AU may appear once per row.
/// - `source`: free text about where the image came from (generator, dataset, licence); kept in
///   `FaceDataset.provenance`.
/// A row with a bad `emotion` or `aus` cell is skipped with a warning naming the file and line.
enum FacecapLabelsReader {
    static let fileName = "labels.csv"

    static func read(_ labelsURL: URL, root: URL) throws -> FaceDataset {
        let data = try readLabelsFile(labelsURL)
        var warnings = DatasetWarnings()
        var items: [FaceItem] = []
        var provenance: [String: String] = [:]
        var seen = Set<String>()
        var header: CSVHeader?
        var fileColumn = 0
        var headerProblem: String?

        forEachCSVRecord(data) { record in
            guard let columns = header else {
                let parsed = CSVHeader(record.fields)
                if let file = parsed["file"] { fileColumn = file } else {
                    headerProblem = "header has no `file` column (expected file,emotion,aus,source)"
                }
                header = parsed
                return
            }
            if headerProblem != nil { return }
            if let problem = record.problem {
                warnings.line(fileName, record.line, problem)
                return
            }
            func cell(_ name: String) -> String {
                guard let index = columns[name], index < record.fields.count else { return "" }
                return record.fields[index].trimmingCharacters(in: .whitespaces)
            }
            guard fileColumn < record.fields.count, !cell("file").isEmpty else {
                warnings.line(fileName, record.line, "no file name")
                return
            }
            let file = cell("file")
            var labels = FaceLabels()
            let emotionText = cell("emotion")
            if !emotionText.isEmpty {
                guard let emotions = Emotion.parseCompound(emotionText) else {
                    warnings.line(fileName, record.line, "unknown emotion \"\(emotionText)\"")
                    return
                }
                labels.emotion = Emotion.labelText(emotions)
            }
            switch parseActionUnits(cell("aus")) {
            case .success(let units): labels.actionUnits = units
            case .failure(let problem):
                warnings.line(fileName, record.line, problem.message)
                return
            }
            guard let path = warnings.track(resolveImage(root: root, candidates: [file]), listed: file) else {
                return
            }
            guard seen.insert(path).inserted else {
                warnings.line(fileName, record.line, "\(file) is listed again; keeping the first row")
                return
            }
            let unlabelled = labels.emotion == nil && labels.actionUnits.isEmpty
            items.append(FaceItem(id: path, source: .file(root.appendingPathComponent(path)),
                                  labels: unlabelled ? nil : labels))
            let source = cell("source")
            if !source.isEmpty { provenance[path] = source }
        }
        if let headerProblem { throw InputError(labelsURL.path, headerProblem) }
        if header == nil { throw InputError(labelsURL.path, "empty labels file (expected a header line)") }
        return FaceDataset(name: root.lastPathComponent, root: root, layout: .facecapLabels,
                           items: items, warnings: warnings.finished(), provenance: provenance)
    }

    struct Problem: Error { let message: String }

    /// Parses the `aus` cell; see the type's documentation for the format.
    static func parseActionUnits(_ text: String) -> Result<[ActionUnitLabel], Problem> {
        let tokens = text.replacingOccurrences(of: "+", with: " ")
            .split(whereSeparator: { $0 == " " || $0 == "\t" })
        var units: [ActionUnitLabel] = []
        for token in tokens {
            let parts = token.split(separator: ":", omittingEmptySubsequences: false)
            var numberText = Substring(parts[0])
            if numberText.lowercased().hasPrefix("au") { numberText = numberText.dropFirst(2) }
            guard parts.count <= 2, let number = Int(numberText), (1...99).contains(number) else {
                return .failure(Problem(message: "bad action unit \"\(token)\" (expected e.g. 12 or 12:3.5)"))
            }
            var intensity: Double?
            if parts.count == 2 {
                guard let value = parseIntensity(String(parts[1])) else {
                    return .failure(Problem(message: "bad intensity in \"\(token)\" (expected 0-5 or A-E)"))
                }
                intensity = value
            }
            if units.contains(where: { $0.number == number }) {
                return .failure(Problem(message: "action unit \(number) appears twice"))
            }
            units.append(ActionUnitLabel(number: number, intensity: intensity))
        }
        return .success(units)
    }

    private static func parseIntensity(_ text: String) -> Double? {
        if let letter = ["a", "b", "c", "d", "e"].firstIndex(of: text.lowercased()) { return Double(letter + 1) }
        guard let value = Double(text), value.isFinite, (0...5).contains(value) else { return nil }
        return value
    }
}
