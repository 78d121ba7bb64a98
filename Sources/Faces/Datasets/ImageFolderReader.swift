import Foundation
import Tensor

/// A folder of PNG and JPEG images, searched recursively, in natural order of their relative paths.
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
        let twins = droppingJPEGTwins(paths.sorted(by: naturallyOrdered))
        paths = twins.kept
        if let twin = twins.dropped.first {
            warnings.note("\(twins.dropped.count) JPEG images left out for the PNG beside each (e.g. \(twin))")
        }

        var items: [FaceItem] = []
        var unlabelled = 0
        let clips = clipFolders(paths)
        var clipAdded = Set<String>()
        for path in paths {
            let folder = (path as NSString).deletingLastPathComponent
            if let frames = clips[folder] {
                // A clip is one item, where its first frame would have been.
                guard clipAdded.insert(folder).inserted else { continue }
                let emotion = classEmotion(of: path)
                items.append(FaceItem(id: folder, source: .frames(frames.map { root.appendingPathComponent($0) }),
                                      labels: emotion.map { FaceLabels(emotion: $0.rawValue) }))
                continue
            }
            let emotion = classEmotion(of: path)
            if emotion == nil { unlabelled += 1 }
            items.append(FaceItem(id: path, source: .file(root.appendingPathComponent(path)),
                                  labels: emotion.map { FaceLabels(emotion: $0.rawValue) }))
        }
        let perClass = unlabelled < items.count
        if perClass && unlabelled > 0 {
            warnings.note("\(unlabelled) images outside emotion-named folders have no label")
        }
        if items.isEmpty { warnings.note("no PNG or JPEG images found") }
        return FaceDataset(name: root.lastPathComponent, root: root,
                           layout: perClass ? .folderPerClass : .imageFolder,
                           items: items, warnings: warnings.finished())
    }

    /// Folders holding one clip's frames, in the class/clip layout (`happy/clip_001/00001.jpg`): a
    /// folder under an emotion-named folder, not itself named after an emotion, with at least two images
    /// whose names end in a frame number. Value: the frames' relative paths in file-name order.
    static func clipFolders(_ paths: [String]) -> [String: [String]] {
        var byFolder: [String: [String]] = [:]
        for path in paths { byFolder[(path as NSString).deletingLastPathComponent, default: []].append(path) }
        return byFolder.filter { folder, files in
            guard !folder.isEmpty, files.count >= 2, Emotion(label: (folder as NSString).lastPathComponent) == nil,
                  classEmotion(of: folder + "/x") != nil else { return false }
            return files.allSatisfy { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension.last?.isNumber ?? false }
        }.mapValues { $0.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) } }
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
            case .png, .jpeg: paths.append(path)
            case .otherImage: warnings.countUnreadable(path)
            case .notImage: break
            }
        }
    }
}
