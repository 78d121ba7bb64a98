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

/// facecap decodes PNG only (libpng), so other image files are counted and reported, never listed.
enum ImageKind {
    case png, otherImage, notImage

    init(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff", "heic", "ppm", "pgm": self = .otherImage
        default: self = .notImage
        }
    }
}

/// Where a listed image (RAF-DB, AffectNet, labels.csv) was found.
enum ImageResolution: Equatable {
    /// A PNG, as a path relative to the dataset root.
    case png(String)
    /// Only a non-PNG file exists (RAF-DB and AffectNet ship JPEGs).
    case notPNG(String)
    case missing
}

/// Tries each candidate path (relative to `root`, most preferred first). A listed "x.jpg" is also
/// found as "x.png", so a dataset converted with `mogrify -format png` works with its original list.
func resolveImage(root: URL, candidates: [String]) -> ImageResolution {
    for candidate in candidates {
        if ImageKind(pathExtension: (candidate as NSString).pathExtension) == .png,
           isFile(root.appendingPathComponent(candidate)) {
            return .png(candidate)
        }
        let stem = (candidate as NSString).deletingPathExtension
        for ext in ["png", "PNG"] where isFile(root.appendingPathComponent("\(stem).\(ext)")) {
            return .png("\(stem).\(ext)")
        }
    }
    for candidate in candidates where isFile(root.appendingPathComponent(candidate)) {
        return .notPNG(candidate)
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
    private var notPNG: [String] = []

    mutating func line(_ file: String, _ line: Int, _ problem: String) {
        lineWarnings += 1
        if lineWarnings <= Self.lineWarningLimit { messages.append("\(file):\(line): \(problem)") }
    }

    mutating func note(_ message: String) { messages.append(message) }

    /// Records what happened to a listed image; returns the PNG's relative path when there is one.
    mutating func track(_ resolution: ImageResolution, listed: String) -> String? {
        switch resolution {
        case .png(let path): return path
        case .notPNG(let path): notPNG.append(path)
        case .missing: missing.append(listed)
        }
        return nil
    }

    mutating func countNotPNG(_ path: String) { notPNG.append(path) }

    func finished() -> [String] {
        var all = messages
        if lineWarnings > Self.lineWarningLimit {
            all.append("\(lineWarnings - Self.lineWarningLimit) more malformed lines not shown")
        }
        if !notPNG.isEmpty {
            all.append("\(notPNG.count) non-PNG images skipped (facecap reads PNG; e.g. \(notPNG[0]))")
        }
        if !missing.isEmpty {
            all.append("\(missing.count) listed images not found (e.g. \(missing[0]))")
        }
        return all
    }
}
