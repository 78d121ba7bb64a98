import Foundation

/// Where facecap finds its bundled folders when none is named: the current directory if it holds
/// them (running from a checkout), else the checkout the executable was built in
/// (`<repo>/.build/release/facecap` -> `<repo>`), so `facecap` works from any directory.
enum Locations {
    static func bundled(_ name: String) -> URL {
        let fm = FileManager.default
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(name)
        if fm.fileExists(atPath: cwd.path) { return cwd }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent(name)
            if fm.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return cwd
    }

    static var modelsFolder: URL {
        if let env = ProcessInfo.processInfo.environment["FACECAP_MODELS"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return bundled("Models")
    }

    static var sampleFaces: URL { bundled("SampleFaces") }

    /// A model given on the command line: a folder path, or the name of a folder under Models/.
    static func model(_ nameOrPath: String) -> URL {
        let fm = FileManager.default
        if fm.fileExists(atPath: nameOrPath) { return URL(fileURLWithPath: nameOrPath) }
        let named = modelsFolder.appendingPathComponent(nameOrPath)
        return fm.fileExists(atPath: named.path) ? named : URL(fileURLWithPath: nameOrPath)
    }
}
