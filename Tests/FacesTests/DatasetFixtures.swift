import Foundation

/// Tests/Fixtures/datasets, built by make_fixtures.py there.
enum DatasetFixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/datasets")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// A fresh empty folder for a test to write into.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("facecap-datasets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
