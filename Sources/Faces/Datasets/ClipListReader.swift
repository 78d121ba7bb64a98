import Foundation
import Tensor

/// DFEW / FERV39k / DFER-CLIP annotation lists: one clip per line, `path num_frames label`, the path a
/// folder of frames (relative to the list's folder, or absolute), the label 1-based in DFER-CLIP's
/// class order (happiness, sadness, neutral, anger, surprise, disgust, fear; MAFW and our demo add
/// contempt as 8). Frames are the folder's PNG or JPEG files in file-name order (`clipFrameNames`).
enum ClipListReader {
    static let classOrder: [Emotion] = [.happiness, .sadness, .neutral, .anger, .surprise, .disgust, .fear, .contempt]

    /// Whether a text file reads as such a list (its first non-empty line has three fields, the last two integers).
    static func recognizes(_ url: URL) -> Bool {
        guard url.pathExtension.lowercased() == "txt",
              let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 4096), as: UTF8.self)
        guard let line = head.split(separator: "\n").first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return false }
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return fields.count == 3 && Int(fields[1]) != nil && Int(fields[2].trimmingCharacters(in: .whitespacesAndNewlines)) != nil
    }

    static func read(_ list: URL) throws -> FaceDataset {
        let text = String(decoding: try readLabelsFile(list), as: UTF8.self)
        let root = list.deletingLastPathComponent()
        var warnings = DatasetWarnings()
        var items: [FaceItem] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count == 3, let count = Int(fields[1]), let label = Int(fields[2]) else {
                warnings.line(list.lastPathComponent, number + 1, "expected `path num_frames label`")
                continue
            }
            let folder = fields[0].hasPrefix("/") ? URL(fileURLWithPath: fields[0]) : root.appendingPathComponent(fields[0])
            let names = clipFrameNames(in: folder) ?? []
            guard !names.isEmpty else {
                warnings.line(list.lastPathComponent, number + 1, "\(fields[0]) has no PNG or JPEG frames")
                continue
            }
            if count != names.count {
                warnings.line(list.lastPathComponent, number + 1, "\(fields[0]) lists \(count) frames but holds \(names.count)")
            }
            let emotion = label >= 1 && label <= classOrder.count ? classOrder[label - 1] : nil
            if emotion == nil { warnings.line(list.lastPathComponent, number + 1, "label \(label) is not 1-\(classOrder.count)") }
            items.append(FaceItem(id: fields[0], source: .frames(names.map { folder.appendingPathComponent($0) }),
                                  labels: emotion.map { FaceLabels(emotion: $0.rawValue) }))
        }
        return FaceDataset(name: root.lastPathComponent, root: root, layout: .clipList, items: items, warnings: warnings.finished())
    }
}
