import Captioning
import Foundation
import Recognition
import Tensor

/// Where facecap finds its bundled folders when none is named: the current directory if it holds
/// them (running from a checkout), else the checkout the executable was built in
/// (`<repo>/.build/release/facecap` -> `<repo>`), so `facecap` works from any directory.
enum Locations {
    static func bundled(_ name: String) -> URL {
        let fm = FileManager.default
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(name)
        if fm.fileExists(atPath: cwd.path) { return cwd }
        var dir = executable.deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent(name)
            if fm.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return cwd
    }

    /// The running executable with every symlink resolved. argv[0] is whatever the shell was given
    /// ("facecap" found through PATH, or a symlink in /usr/local/bin), so it is only the fallback
    /// where the kernel does not tell (no /proc, e.g. macOS).
    static var executable: URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    }

    static var modelsFolder: URL {
        if let env = ProcessInfo.processInfo.environment["FACECAP_MODELS"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return bundled("Models")
    }

    static var sampleFaces: URL { bundled("SampleFaces") }

    /// A model given on the command line: a folder path, or the name of a folder under Models/.
    /// A bare name that matches neither is a typo more often than a missing folder: the error lists
    /// the models there are and suggests the closest.
    /// `missing` names what a path that is not there should have been (recognizers also take a `.pth` file).
    static func model(_ nameOrPath: String, modelsFolder root: URL = modelsFolder,
                      missing: String = "no such model folder") throws -> URL {
        let fm = FileManager.default
        if fm.fileExists(atPath: nameOrPath) { return URL(fileURLWithPath: nameOrPath) }
        let named = root.appendingPathComponent(nameOrPath)
        if fm.fileExists(atPath: named.path) { return named }
        if nameOrPath.contains("/") { throw InputError(nameOrPath, missing) }
        let known = (CaptionerLoader.modelFolders(in: root) + RecognizerLoader.folders(in: root)).map(\.lastPathComponent)
        guard !known.isEmpty else {
            throw InputError(nameOrPath, "no such model folder, and no models under \(root.path)")
        }
        let hint = ModelNameSuggestion.closest(to: nameOrPath, among: known).map { "did you mean \($0)? " } ?? ""
        throw InputError(nameOrPath, "no such model; \(hint)models under \(root.path): \(known.joined(separator: ", "))")
    }
}

/// The known name nearest to a mistyped one, by edit distance ignoring case; none when every name is
/// too far off to be the intended one.
enum ModelNameSuggestion {
    static func closest(to typed: String, among names: [String]) -> String? {
        let scored = names.map { ($0, distance(typed.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, typed.count / 3) ? best.0 : nil
    }

    /// Levenshtein distance (insertions, deletions, substitutions), two rows at a time.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in a.indices {
            var current = [i + 1] + [Int](repeating: 0, count: b.count)
            for j in b.indices {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a[i] == b[j] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
