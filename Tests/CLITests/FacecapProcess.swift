import Foundation
import XCTest

/// Runs the built `facecap` executable (scripts/test builds it before the suite) and captures
/// its exit status and output, as a user's shell would see them.
struct FacecapProcess {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repo.appendingPathComponent("Tests/Fixtures")

    static var executable: URL {
        get throws {
            let candidates = [".build/debug/facecap", ".build/release/facecap"].map { repo.appendingPathComponent($0) }
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw XCTSkip("facecap is not built; run `swift build --product facecap` first (scripts/test does)")
            }
            return found
        }
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try launch(try executable, arguments, directory: repo, environment: environment.mapValues { $0 })
    }

    /// Runs any program (a script, or facecap through env, setpriv) and waits for it. `environment`
    /// is laid over this process's; a nil value removes the variable.
    static func launch(_ program: URL, _ arguments: [String], directory: URL,
                       environment: [String: String?] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A scratch copy of a fixture model folder that a test may damage.
    static func copyOfModel(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-cli-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("parity/\(name)"), to: dir)
        return dir
    }
}
