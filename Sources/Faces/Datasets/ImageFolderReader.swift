import Foundation
import Tensor

/// A folder of PNG images, searched recursively, in natural order of their relative paths.
/// When images sit under folders named after emotions ("happy/", "train/Sad/"), the nearest such
/// folder labels them: that is the folder-per-class layout (Kaggle's FER2013 image version, many
/// hand-made sets).
enum ImageFolderReader {
    static func read(_ root: URL) throws -> FaceDataset {
        var warnings = DatasetWarnings()
        var paths: [String] = []
        do {
            try walk(root, relative: "", into: &paths, warnings: &warnings)
        } catch {
            throw InputError(root.path, "cannot list folder (\(error.localizedDescription))")
        }
        paths.sort(by: naturallyOrdered)

        var items: [FaceItem] = []
        var unlabelled = 0
        for path in paths {
            let emotion = classEmotion(of: path)
            if emotion == nil { unlabelled += 1 }
            items.append(FaceItem(id: path, source: .file(root.appendingPathComponent(path)),
                                  labels: emotion.map { FaceLabels(emotion: $0.rawValue) }))
        }
        let perClass = unlabelled < items.count
        if perClass && unlabelled > 0 {
            warnings.note("\(unlabelled) images outside emotion-named folders have no label")
        }
        if items.isEmpty { warnings.note("no PNG images found") }
        return FaceDataset(name: root.lastPathComponent, root: root,
                           layout: perClass ? .folderPerClass : .imageFolder,
                           items: items, warnings: warnings.finished())
    }

    /// The emotion of the nearest enclosing folder whose name is an emotion word.
    static func classEmotion(of relativePath: String) -> Emotion? {
        let folders = relativePath.split(separator: "/").dropLast()
        for folder in folders.reversed() {
            if let emotion = Emotion(label: String(folder)) { return emotion }
        }
        return nil
    }

    /// Hidden entries are skipped; symbolic links to folders are not followed, so a link loop
    /// cannot make the listing endless.
    private static func walk(_ folder: URL, relative: String, into paths: inout [String],
                             warnings: inout DatasetWarnings) throws {
        let keys: [URLResourceKey] = [.isDirectoryKey, .isSymbolicLinkKey]
        let entries = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: keys)
        for entry in entries {
            let name = entry.lastPathComponent
            if name.hasPrefix(".") { continue }
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            let values = try? entry.resourceValues(forKeys: Set(keys))
            if values?.isSymbolicLink == true {
                if isDirectory(entry) { continue }
            } else if values?.isDirectory == true {
                try walk(entry, relative: path, into: &paths, warnings: &warnings)
                continue
            }
            switch ImageKind(pathExtension: entry.pathExtension) {
            case .png: paths.append(path)
            case .otherImage: warnings.countNotPNG(path)
            case .notImage: break
            }
        }
    }
}
