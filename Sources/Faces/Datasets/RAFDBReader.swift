import Foundation
import Tensor

/// RAF-DB basic emotion set: `EmoLabel/list_patition_label.txt` (sic) with lines like
/// "train_00001.jpg 5"; images in `Image/aligned/NAME_aligned.jpg` (preferred: the faces the
/// benchmark uses, cropped and aligned) or `Image/original/NAME.jpg`. A PNG with the same stem is
/// preferred when one exists (a set converted to PNG keeps its ids).
enum RAFDBReader {
    static let listPath = "EmoLabel/list_patition_label.txt"
    /// RAF-DB's label numbers, 1-based.
    static let emotions: [Emotion] = [.surprise, .fear, .disgust, .happiness, .sadness, .anger, .neutral]

    static func read(_ list: URL, root: URL) throws -> FaceDataset {
        let data = try readLabelsFile(list)
        let fileName = list.lastPathComponent
        var warnings = DatasetWarnings()
        var items: [FaceItem] = []
        let text = String(decoding: data, as: UTF8.self)
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if parts.isEmpty { continue }
            let lineNumber = offset + 1
            guard parts.count == 2, let label = Int(parts[1]), (1...emotions.count).contains(label) else {
                warnings.line(fileName, lineNumber, "expected \"IMAGE LABEL\" with a label 1-7")
                continue
            }
            let name = String(parts[0])
            let stem = (name as NSString).deletingPathExtension
            let ext = (name as NSString).pathExtension
            let aligned = "Image/aligned/\(stem)_aligned" + (ext.isEmpty ? "" : ".\(ext)")
            let resolution = resolveImage(root: root, candidates: [aligned, "Image/original/\(name)"])
            guard let path = warnings.track(resolution, listed: name) else { continue }
            items.append(FaceItem(id: path, source: .file(root.appendingPathComponent(path)),
                                  labels: FaceLabels(emotion: emotions[label - 1].rawValue)))
        }
        return FaceDataset(name: root.lastPathComponent, root: root, layout: .rafDB,
                           items: items, warnings: warnings.finished())
    }
}
