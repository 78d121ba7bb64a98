import Foundation
import Tensor

/// Reads a labels file whole, turning file-system failures into the user-facing error.
func readLabelsFile(_ url: URL) throws -> Data {
    do {
        return try Data(contentsOf: url)
    } catch {
        throw InputError(url.path, "cannot read labels file (\(error.localizedDescription))")
    }
}

func isDirectory(_ url: URL) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
}

func isFile(_ url: URL) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && !directory.boolValue
}

/// facecap decodes PNG and JPEG (libpng, libjpeg-turbo), so other image files are counted and reported,
/// never listed.
enum ImageKind {
    case png, jpeg, otherImage, notImage

    init(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        case "bmp", "gif", "webp", "tif", "tiff", "heic", "ppm", "pgm": self = .otherImage
        default: self = .notImage
        }
    }

    init(path: String) { self.init(pathExtension: (path as NSString).pathExtension) }

    var isReadable: Bool { self == .png || self == .jpeg }
}

/// Leaves out each JPEG with a PNG of the same path and stem beside it: `mogrify -format png` keeps
/// the JPEG it converted, and the PNG is the face that datasets read before facecap read JPEG, so
/// item ids (in caches and studies) stay what they were and a converted clip's frames are not doubled.
func droppingJPEGTwins(_ paths: [String]) -> (kept: [String], dropped: [String]) {
    let pngStems = Set(paths.filter { ImageKind(path: $0) == .png }.map { ($0 as NSString).deletingPathExtension })
    var kept: [String] = [], dropped: [String] = []
    for path in paths {
        if ImageKind(path: path) == .jpeg, pngStems.contains((path as NSString).deletingPathExtension) {
            dropped.append(path)
        } else {
            kept.append(path)
        }
    }
    return (kept, dropped)
}

/// A clip's frames: the folder's PNG and JPEG files (hidden ones and JPEG twins of PNGs left out), by
/// name in code-point order, Python's plain `sorted` as DFER-CLIP's loaders use. Nil when the folder
/// cannot be listed.
public func clipFrameNames(in folder: URL) -> [String]? {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return nil }
    return droppingJPEGTwins(names.filter { ImageKind(path: $0).isReadable && !$0.hasPrefix(".") }).kept
        .sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
}

/// Where a listed image (RAF-DB, AffectNet, labels.csv) was found.
enum ImageResolution: Equatable {
    /// A PNG or JPEG, as a path relative to the dataset root.
    case found(String)
    /// Only an image facecap cannot read exists.
    case unreadable(String)
    case missing
}

/// Tries each candidate path (relative to `root`, most preferred first). A PNG comes first: the listed
/// one or a PNG with the listed stem, so a dataset converted with `mogrify -format png` works with its
/// original list and keeps its ids; then the listed JPEG, or a JPEG with the listed stem.
func resolveImage(root: URL, candidates: [String]) -> ImageResolution {
    for candidate in candidates {
        let stem = (candidate as NSString).deletingPathExtension
        let kind = ImageKind(path: candidate)
        let tries = (kind == .png ? [candidate] : []) + ["\(stem).png", "\(stem).PNG"]
            + (kind == .jpeg ? [candidate] : []) + ["jpg", "JPG", "jpeg", "JPEG"].map { "\(stem).\($0)" }
        if let found = tries.first(where: { isFile(root.appendingPathComponent($0)) }) { return .found(found) }
    }
    for candidate in candidates where isFile(root.appendingPathComponent(candidate)) {
        return .unreadable(candidate)
    }
    return .missing
}

/// Collects a reader's warnings. Per-line warnings are capped so a badly broken 35,000-line file
/// gives a readable list and a count, not 35,000 lines.
struct DatasetWarnings {
    static let lineWarningLimit = 20

    private(set) var messages: [String] = []
    private var lineWarnings = 0
    private var missing: [String] = []
    private var unreadable: [String] = []

    mutating func line(_ file: String, _ line: Int, _ problem: String) {
        lineWarnings += 1
        if lineWarnings <= Self.lineWarningLimit { messages.append("\(file):\(line): \(problem)") }
    }

    mutating func note(_ message: String) { messages.append(message) }

    /// Records what happened to a listed image; returns the image's relative path when there is one.
    mutating func track(_ resolution: ImageResolution, listed: String) -> String? {
        switch resolution {
        case .found(let path): return path
        case .unreadable(let path): unreadable.append(path)
        case .missing: missing.append(listed)
        }
        return nil
    }

    mutating func countUnreadable(_ path: String) { unreadable.append(path) }

    func finished() -> [String] {
        var all = messages
        if lineWarnings > Self.lineWarningLimit {
            all.append("\(lineWarnings - Self.lineWarningLimit) more malformed lines not shown")
        }
        if !unreadable.isEmpty {
            all.append("\(unreadable.count) images skipped (facecap reads PNG and JPEG; e.g. \(unreadable[0]))")
        }
        if !missing.isEmpty {
            all.append("\(missing.count) listed images not found (e.g. \(missing[0]))")
        }
        return all
    }
}
