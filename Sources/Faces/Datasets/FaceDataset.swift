import Foundation
import Tensor

/// How a dataset on disk is laid out; `FaceDataset.open` tells them apart by their marker files.
public enum DatasetLayout: String, Sendable {
    /// Images only, no labels.
    case imageFolder
    /// Images in folders named after emotions ("happy/", "train/sad/").
    case folderPerClass
    /// facecap's own `labels.csv` at the root (see `FacecapLabelsReader`).
    case facecapLabels
    /// FER2013's CSV with 48x48 grey faces inline.
    case fer2013
    /// RAF-DB basic: `EmoLabel/list_patition_label.txt` and `Image/aligned` or `Image/original`.
    case rafDB
    /// AffectNet's `Manually_Annotated_file_lists/*.csv` and `Manually_Annotated_Images/`.
    case affectNet
    /// DFEW / FERV39k clip annotation list (`path num_frames label`) over folders of frames.
    case clipList
}

/// A dataset of faces opened from disk, items in a stable order, with what went wrong along the way.
/// Malformed label lines and unusable images become `warnings`; only a missing dataset or an
/// unreadable labels file is an error.
public struct FaceDataset: Sendable {
    public var name: String
    public var root: URL
    public var layout: DatasetLayout
    public var items: [FaceItem]
    public var warnings: [String]
    /// Free-text provenance per item id, where the dataset says it: labels.csv's `source` column,
    /// FER2013's `Usage` ("Training", "PublicTest", ...). `FaceItem` has no field for it.
    public var provenance: [String: String]

    public init(name: String, root: URL, layout: DatasetLayout, items: [FaceItem],
                warnings: [String] = [], provenance: [String: String] = [:]) {
        self.name = name
        self.root = root
        self.layout = layout
        self.items = items
        self.warnings = warnings
        self.provenance = provenance
    }

    /// Opens a dataset folder, or a labels file directly (labels.csv, a FER2013 or AffectNet CSV,
    /// RAF-DB's list_patition_label.txt). Detection order for a folder: `labels.csv`, RAF-DB's
    /// label list, a FER2013 or AffectNet CSV (at the root or in `Manually_Annotated_file_lists/`),
    /// then images, labelled by emotion-named folders when there are any.
    public static func open(_ url: URL) throws -> FaceDataset {
        let url = url.standardizedFileURL
        var directory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) else {
            throw InputError(url.path, "no such file or folder")
        }
        if !directory.boolValue { return try openLabelsFile(url) }

        let labels = url.appendingPathComponent(FacecapLabelsReader.fileName)
        if isFile(labels) { return try FacecapLabelsReader.read(labels, root: url) }

        let rafList = url.appendingPathComponent(RAFDBReader.listPath)
        if isFile(rafList) { return try RAFDBReader.read(rafList, root: url) }

        if let names = try? FileManager.default.contentsOfDirectory(atPath: url.path),
           let list = names.sorted().map({ url.appendingPathComponent($0) }).first(where: ClipListReader.recognizes) {
            return try ClipListReader.read(list)
        }

        for folder in [url, url.appendingPathComponent(AffectNetReader.listFolder)] {
            let csvs = csvFiles(in: folder)
            if let fer = csvs.first(where: { FER2013Reader.recognizes(header: csvHeaderFields(of: $0)) }) {
                return try FER2013Reader.read(fer, root: url)
            }
            let affect = csvs.filter { AffectNetReader.recognizes(header: csvHeaderFields(of: $0)) }
            if !affect.isEmpty { return try AffectNetReader.read(affect, root: url) }
        }
        return try ImageFolderReader.read(url)
    }

    private static func openLabelsFile(_ url: URL) throws -> FaceDataset {
        let parent = url.deletingLastPathComponent()
        if url.lastPathComponent == FacecapLabelsReader.fileName {
            return try FacecapLabelsReader.read(url, root: parent)
        }
        if url.lastPathComponent == (RAFDBReader.listPath as NSString).lastPathComponent {
            return try RAFDBReader.read(url, root: parent.deletingLastPathComponent())
        }
        if ClipListReader.recognizes(url) { return try ClipListReader.read(url) }
        guard url.pathExtension.lowercased() == "csv" else {
            throw InputError(url.path, "not a dataset: open a folder of PNG or JPEG images or a labels file "
                + "(labels.csv, FER2013 or AffectNet CSV, RAF-DB list_patition_label.txt)")
        }
        let header = csvHeaderFields(of: url)
        if FER2013Reader.recognizes(header: header) { return try FER2013Reader.read(url, root: parent) }
        if AffectNetReader.recognizes(header: header) {
            let root = parent.lastPathComponent == AffectNetReader.listFolder
                ? parent.deletingLastPathComponent() : parent
            return try AffectNetReader.read([url], root: root)
        }
        if header == nil { _ = try readLabelsFile(url) }  // unreadable: report why
        throw InputError(url.path, "unrecognised CSV header: expected facecap's file,emotion,aus,source, "
            + "FER2013's emotion,pixels,Usage or AffectNet's subDirectory_filePath,...,expression")
    }

    private static func csvFiles(in folder: URL) -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.lowercased().hasSuffix(".csv") && !$0.hasPrefix(".") }
            .sorted(by: naturallyOrdered)
            .map { folder.appendingPathComponent($0) }
    }
}
