import Foundation
import XCTest

/// The README's cluster recipes, run for real on this machine: scripts/caption-parallel (GNU
/// parallel, which scripts/install-deps installs) and scripts/caption-slurm (its array tasks run one
/// after another with the variables Slurm would set). Each merged cache must hold exactly the rows
/// one plain `caption --dataset` run writes.
final class ClusterRecipeTests: XCTestCase {
    let dataset = FacecapProcess.fixtures.appendingPathComponent("datasets/labels_csv").path
    let models = ["tiny-f32", "tiny-bf16"].map { FacecapProcess.fixtures.appendingPathComponent("parity/\($0)").path }
        .joined(separator: ",")

    func run(_ script: String, _ arguments: [String], environment: [String: String?]) throws -> FacecapProcess.Output {
        var environment = environment
        environment["FACECAP"] = try FacecapProcess.executable.path
        return try FacecapProcess.launch(FacecapProcess.repo.appendingPathComponent("scripts/\(script)"), arguments,
                                         directory: FacecapProcess.repo, environment: environment)
    }

    /// Every row's key and content (not its timestamps), in key order, as sqlite3 prints them.
    func rows(_ cache: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [cache, "SELECT model_identity, image_hash, settings, model_name, image_id, captions, token_ids "
            + "FROM caption ORDER BY model_identity, image_hash, settings"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self)
    }

    func testShardedRunsMergeToWhatOneRunWrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let single = dir.appendingPathComponent("single.sqlite").path
        let one = try FacecapProcess.run(["caption", "--dataset", dataset, "--models", models, "--cache", single])
        XCTAssertEqual(one.status, 0, one.stderr)
        let expected = try rows(single)
        XCTAssertEqual(expected.split(separator: "\n").count, 10, "5 faces x 2 models:\n\(expected)")

        let viaParallel = dir.appendingPathComponent("parallel").path
        let parallel = try run("caption-parallel", [dataset, models, "3", viaParallel], environment: ["JOBS": "2"])
        XCTAssertEqual(parallel.status, 0, parallel.stderr)
        XCTAssertTrue(parallel.stdout.contains("\(viaParallel)/captions.sqlite: 10 captions"), parallel.stdout)
        XCTAssertEqual(try rows(viaParallel + "/captions.sqlite"), expected)

        let viaSlurm = dir.appendingPathComponent("slurm").path
        for task in 1...3 {
            let out = try run("caption-slurm", [dataset, models, viaSlurm],
                              environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "3",
                                            "SLURM_CPUS_PER_TASK": "1"])
            XCTAssertEqual(out.status, 0, out.stderr)
            XCTAssertTrue(out.stderr.contains("\(viaSlurm)/shard-\(task).sqlite"), out.stderr)
        }
        let merge = try run("caption-slurm", ["--merge", viaSlurm], environment: [:])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertEqual(try rows(viaSlurm + "/captions.sqlite"), expected)
    }

    /// Outside an array job the Slurm script says what is missing instead of captioning everything.
    func testSlurmScriptNeedsAnArrayJob() throws {
        let out = try run("caption-slurm", [dataset, models, "/tmp/unused"],
                          environment: ["SLURM_ARRAY_TASK_ID": "", "SLURM_ARRAY_TASK_COUNT": ""])
        XCTAssertNotEqual(out.status, 0)
        XCTAssertTrue(out.stderr.contains("sbatch --array=1-N"), out.stderr)
    }
}
