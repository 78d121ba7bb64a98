import Foundation
import Tensor

/// AffectNet's manually annotated lists: CSVs with the header
/// `subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal`
/// in `Manually_Annotated_file_lists/`, images under `Manually_Annotated_Images/`.
/// Expressions 0-7 are emotions; 8 (none), 9 (uncertain) and 10 (non-face) keep the item without
/// an emotion, since such faces are still worth captioning. The face box, valence and arousal are
/// not read: facecap captions the image file as it is.
enum AffectNetReader {
    static let listFolder = "Manually_Annotated_file_lists"
    static let imageFolders = ["Manually_Annotated_Images", ""]
    static let emotions: [Emotion] = [.neutral, .happiness, .sadness, .surprise, .fear, .disgust, .anger, .contempt]

    static func recognizes(header: [String]?) -> Bool {
        guard let header else { return false }
        return CSVHeader(header).has("subdirectory_filepath", "expression")
    }

    static func read(_ csvs: [URL], root: URL) throws -> FaceDataset {
        var warnings = DatasetWarnings()
        var items: [FaceItem] = []
        var seen = Set<String>()
        var imageFolder: String?
        for csv in csvs {
            let data = try readLabelsFile(csv)
            let fileName = csv.lastPathComponent
            var header: CSVHeader?
            forEachCSVRecord(data) { record in
                guard let columns = header else {
                    header = CSVHeader(record.fields)
                    return
                }
                guard let pathColumn = columns["subdirectory_filepath"], let expressionColumn = columns["expression"]
                else { return }
                guard record.problem == nil, record.fields.count > max(pathColumn, expressionColumn) else {
                    warnings.line(fileName, record.line, record.problem
                        ?? "expected \(columns.count) columns, found \(record.fields.count)")
                    return
                }
                let listed = record.fields[pathColumn].trimmingCharacters(in: .whitespaces)
                let expressionText = record.fields[expressionColumn].trimmingCharacters(in: .whitespaces)
                guard !listed.isEmpty, let expression = Int(expressionText), (0...10).contains(expression) else {
                    warnings.line(fileName, record.line, "expected an image path and an expression 0-10")
                    return
                }
                // The image folder is settled by the first listed image found, then used for all.
                let folders = imageFolder.map { [$0] } ?? imageFolders
                var resolution = ImageResolution.missing
                for folder in folders {
                    resolution = resolveImage(root: root, candidates: [folder.isEmpty ? listed : "\(folder)/\(listed)"])
                    if resolution != .missing {
                        imageFolder = folder
                        break
                    }
                }
                guard let path = warnings.track(resolution, listed: listed) else { return }
                guard seen.insert(path).inserted else {
                    warnings.line(fileName, record.line, "\(listed) is listed again; keeping the first row")
                    return
                }
                let emotion = expression < emotions.count ? emotions[expression].rawValue : nil
                items.append(FaceItem(id: path, source: .file(root.appendingPathComponent(path)),
                                      labels: FaceLabels(emotion: emotion)))
            }
        }
        return FaceDataset(name: root.lastPathComponent, root: root, layout: .affectNet,
                           items: items, warnings: warnings.finished())
    }
}
