import Foundation
import XCTest

/// facecap as installed: a symlink in a folder on PATH, started by name from an unrelated folder, so
/// argv[0] is the bare word "facecap". The bundled Models/ and SampleFaces/ must still be found.
final class InstalledFacecapTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-installed-\(UUID().uuidString)")
        let bin = scratch.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("facecap"),
                                                   withDestinationURL: try FacecapProcess.executable)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Runs `facecap ARGS` through PATH (env execs it by name) with the scratch folder as the
    /// working directory, which holds no Models/ or SampleFaces/.
    func facecapOnPath(_ arguments: [String]) throws -> FacecapProcess.Output {
        try FacecapProcess.launch(URL(fileURLWithPath: "/usr/bin/env"), ["facecap"] + arguments, directory: scratch,
                                  environment: ["PATH": scratch.appendingPathComponent("bin").path + ":/usr/bin:/bin",
                                                "FACECAP_MODELS": nil,
                                                "XDG_CONFIG_HOME": scratch.path])   // no user config.toml
    }

    func testBundledModelFoundByNameThroughASymlinkOnPath() throws {
        let face = FacecapProcess.repo.appendingPathComponent("SampleFaces/face_01.png").path
        let out = try facecapOnPath(["caption", "--model", "Emot-BLIP", face])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("The face shows"), out.stdout)
    }

    func testMistypedModelListsTheModelsAndSuggestsTheClosest() throws {
        let face = FacecapProcess.repo.appendingPathComponent("SampleFaces/face_01.png").path
        let out = try facecapOnPath(["caption", "--model", "Exp-BLP", face])
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertEqual(out.stderr.split(separator: "\n").count, 1, out.stderr)
        XCTAssertTrue(out.stderr.hasPrefix("facecap: Exp-BLP: no such model; did you mean Exp-BLIP?"), out.stderr)
        for name in ["AU-BLIP", "BLIP-2", "Emot-BLIP", "Exp-BLIP"] { XCTAssertTrue(out.stderr.contains(name), name) }
        // Nothing close: the list without a guess.
        let far = try facecapOnPath(["caption", "--model", "resnet", face])
        XCTAssertFalse(far.stderr.contains("did you mean"), far.stderr)
        XCTAssertTrue(far.stderr.contains("Exp-BLIP"), far.stderr)
    }

    /// The explorer refuses a mistyped --models name before it starts (no terminal needed), after
    /// finding the bundled SampleFaces and accepting the theme's alias.
    func testExplorerRefusesAMistypedModelBeforeStarting() throws {
        let out = try facecapOnPath(["explore", "--models", "Exp-BLP", "--theme", "colorblind"])
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stderr.hasPrefix("facecap: Exp-BLP: no such model; did you mean Exp-BLIP?"), out.stderr)
        XCTAssertFalse(out.stderr.contains("SampleFaces"), out.stderr)
        let path = try facecapOnPath(["explore", "--models", "/nonexistent/Exp-BLIP"])
        XCTAssertEqual(path.status, 1, path.stderr)
        XCTAssertEqual(path.stderr, "facecap: /nonexistent/Exp-BLIP: no such model folder\n")
        let theme = try facecapOnPath(["explore", "--models", "Exp-BLP", "--theme", "colourblnd"])
        XCTAssertTrue(theme.stderr.contains("no theme named 'colourblnd'"), theme.stderr)
        XCTAssertTrue(theme.stderr.contains("colour-blind-safe"), theme.stderr)
    }

    func testExploreHelpHasNoStrayBackslashes() throws {
        let out = try facecapOnPath(["explore", "--help"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stdout.contains("\\"), out.stdout)
        let words = out.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(words.contains("colour-blind-safe (alias colorblind)"), out.stdout)
    }
}
