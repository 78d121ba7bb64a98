import Foundation
import Tensor

/// FER2013 as distributed on Kaggle: `emotion,pixels,Usage`, one face per row, 48x48 grey pixels as
/// space-separated numbers. Faces stay inline (`FaceSource.inlineGrey`); item ids are
/// "fer2013.csv#LINE" with the 1-based line number, so a warning and an id point at the same line.
enum FER2013Reader {
    /// FER2013's label indices.
    static let emotions: [Emotion] = [.anger, .disgust, .fear, .happiness, .sadness, .surprise, .neutral]

    static func recognizes(header: [String]?) -> Bool {
        guard let header else { return false }
        return CSVHeader(header).has("emotion", "pixels")
    }

    static func read(_ csv: URL, root: URL) throws -> FaceDataset {
        let data = try readLabelsFile(csv)
        let fileName = csv.lastPathComponent
        var warnings = DatasetWarnings()
        var items: [FaceItem] = []
        var provenance: [String: String] = [:]
        var header: CSVHeader?
        forEachCSVRecord(data) { record in
            guard let columns = header else {
                header = CSVHeader(record.fields)
                return
            }
            guard let emotionColumn = columns["emotion"], let pixelColumn = columns["pixels"] else { return }
            guard record.problem == nil, record.fields.count > max(emotionColumn, pixelColumn) else {
                warnings.line(fileName, record.line, record.problem
                    ?? "expected \(columns.count) columns, found \(record.fields.count)")
                return
            }
            let label = record.fields[emotionColumn].trimmingCharacters(in: .whitespaces)
            guard let index = Int(label), emotions.indices.contains(index) else {
                warnings.line(fileName, record.line, "emotion \"\(label)\" is not 0-6")
                return
            }
            let pixels: (side: Int, values: [UInt8])
            switch parseSquareGrey(record.fields[pixelColumn]) {
            case .success(let parsed): pixels = parsed
            case .failure(let problem):
                warnings.line(fileName, record.line, problem.message)
                return
            }
            let id = "\(fileName)#\(record.line)"
            items.append(FaceItem(id: id, source: .inlineGrey(width: pixels.side, height: pixels.side,
                                                               pixels: pixels.values),
                                  labels: FaceLabels(emotion: emotions[index].rawValue)))
            if let usage = columns["usage"], usage < record.fields.count {
                let text = record.fields[usage].trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { provenance[id] = text }
            }
        }
        if header == nil { throw InputError(csv.path, "empty FER2013 file") }
        return FaceDataset(name: csv.deletingPathExtension().lastPathComponent, root: root, layout: .fer2013,
                           items: items, warnings: warnings.finished(), provenance: provenance)
    }

    /// Space-separated 0-255 values forming a square image (48x48 = 2304 in FER2013).
    static func parseSquareGrey(_ text: String) -> Result<(side: Int, values: [UInt8]), FacecapLabelsReader.Problem> {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable(parseSquareGrey)!
    }

    private static func parseSquareGrey(
        _ utf8: UnsafeBufferPointer<UInt8>
    ) -> Result<(side: Int, values: [UInt8]), FacecapLabelsReader.Problem> {
        var values: [UInt8] = []
        values.reserveCapacity(48 * 48)
        var current = -1
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                current = (current < 0 ? 0 : current * 10) + Int(byte - UInt8(ascii: "0"))
                if current > 255 { return .failure(.init(message: "pixel value above 255")) }
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                if current >= 0 { values.append(UInt8(current)); current = -1 }
            default:
                return .failure(.init(message: "pixels may hold only numbers and spaces"))
            }
        }
        if current >= 0 { values.append(UInt8(current)) }
        let side = Int(Double(values.count).squareRoot().rounded())
        guard side > 0, side * side == values.count else {
            return .failure(.init(message: "\(values.count) pixel values do not form a square image (48x48 = 2304)"))
        }
        return .success((side, values))
    }
}
