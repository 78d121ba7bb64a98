import Foundation
import XCTest

/// A study built by the real `facecap study create` from the labelled fixture dataset and the two
/// tiny fixture models, in a temporary database, plus readers for what the commands print.
struct StudyFixture {
    let directory: URL
    let name: String
    var db: String { directory.appendingPathComponent("studies.sqlite").path }
    var cache: String { directory.appendingPathComponent("captions.sqlite").path }
    static let models = ["tiny-f32", "tiny-bf16"]
    let faces: Int

    init(name: String, seed: Int, instructions: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-study-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.name = name
        var arguments = ["study", "create", name,
                         "--dataset", FacecapProcess.fixtures.appendingPathComponent("datasets/labels_csv").path,
                         "--models", Self.models.map { FacecapProcess.fixtures.appendingPathComponent("parity/\($0)").path }
                             .joined(separator: ","),
                         "--seed", "\(seed)", "--db", directory.appendingPathComponent("studies.sqlite").path,
                         "--cache", directory.appendingPathComponent("captions.sqlite").path]
        if let instructions {
            let file = directory.appendingPathComponent("instructions.txt")
            try instructions.write(to: file, atomically: true, encoding: .utf8)
            arguments += ["--instructions", file.path]
        }
        let out = try FacecapProcess.run(arguments)
        guard out.status == 0 else {
            XCTFail("study create failed: \(out.stderr)")
            throw XCTSkip("no study")
        }
        // "created study NAME: 5 faces x 2 models, ..."
        let count = out.stdout.split(separator: ":").dropFirst().first?.split(separator: " ").first.flatMap { Int($0) }
        faces = count ?? 0
    }

    /// `facecap rate` in a pane, the way the brief's user runs it: the exit status printed after.
    func ratePane(rater: String, logName: String, pidFile: String? = nil) throws -> TmuxPane {
        let facecap = try FacecapProcess.executable.path
        let rate = "\(facecap) rate \(name) --rater \(rater) --db \(db)"
        let command = pidFile.map { "echo $$ > \($0); exec \(rate)" } ?? "\(rate); echo EXITED $?; sleep 600"
        return try TmuxPane(command, logName: logName)
    }

    func run(_ arguments: [String]) throws -> FacecapProcess.Output {
        let out = try FacecapProcess.run(arguments + ["--db", db])
        XCTAssertEqual(out.status, 0, "\(arguments): \(out.stderr)")
        return out
    }

    /// The export as dictionaries keyed by column name.
    func exportRows() throws -> [[String: String]] {
        let csv = try run(["study", "export", name, "--format", "csv"]).stdout
        let table = CSV.parse(csv)
        guard let header = table.first else { return [] }
        return table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}

/// RFC 4180, enough to read the export back independently of the code that wrote it.
enum CSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else if c != "\r" {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
