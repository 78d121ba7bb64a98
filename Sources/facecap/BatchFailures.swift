import ArgumentParser
import Faces
import Foundation
import Tensor

/// The faces a batch command could not read: it skips each, keeps going, and ends with a list.
///
/// Exit status: 0 when nothing failed, 1 when nothing succeeded (a single bad IMAGE is one line and
/// status 1, as any bad input), 2 when some inputs failed and the rest were done, so a script can
/// tell "partly done" from "not done".
struct BatchFailures {
    private(set) var failures: [(input: String, reason: String)] = []

    /// Whether an error is about the face itself (its file is missing, unreadable, not a PNG or JPEG, too
    /// large), which a batch skips, rather than about a model or the cache, which stop it: the error
    /// names the face's own file (or, for a face inside a labels file, its id).
    static func isAbout(_ error: InputError, _ item: FaceItem) -> Bool {
        switch item.source {
        case .file(let url): return error.path == url.path
        case .inlineGrey: return error.path == item.id
        // A clip: one of its frames, or the clip itself (no frames).
        case .frames(let urls): return error.path == item.id || urls.contains { $0.path == error.path }
        }
    }

    /// Lists the failure under the file the error names (an `InputError`'s path), else under `input`.
    mutating func record(_ input: String, _ error: Error) {
        if let error = error as? InputError, !error.path.isEmpty {
            failures.append((error.path, error.problem))
        } else {
            failures.append((input, "\(error)"))
        }
    }

    var count: Int { failures.count }
    var isEmpty: Bool { failures.isEmpty }

    /// Prints the summary (when there were several inputs) and one "facecap: INPUT: reason" line per
    /// failure to stderr, then ends with the status above. `noun` names the inputs ("images", "faces").
    func finish(total: Int, noun: String) throws {
        guard !failures.isEmpty else { return }
        var lines: [String] = []
        if total > 1 {
            lines.append("facecap: \(failures.count) of \(total) \(noun) failed (skipped):")
        }
        lines += failures.map { "facecap: \($0.input): \($0.reason)" }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        throw ExitCode(failures.count == total ? 1 : 2)
    }
}
