import Foundation
import Study
@testable import Explorer

/// A real study store in a temporary file, seen through `RatingBackend` the way the executable
/// wires it, with a switch that makes writes fail (as a full disk would) to test what the screen keeps.
final class TestRatingBackend: RatingBackend {
    let store: StudyStore
    let session: RaterSession
    let directory: URL
    /// When set, submit and skip throw this instead of writing.
    var failWrites: Error?
    private(set) var writes = 0

    /// `faces` faces, each with one caption per model: "face P by model-S".
    init(faces: Int = 3, models: Int = 2, rater: String = "alice",
         captions: (Int, Int) -> String = { p, m in "face \(p + 1) by model-\(m + 1)" }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rating-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try StudyStore(path: directory.appendingPathComponent("studies.sqlite").path)
        let identities = (0..<models).map { ModelIdentity(name: "secret-model-\($0 + 1)", identity: "test \($0)") }
        let items = (0..<faces).map { p in
            StudyItemDraft(imageID: "img\(p).png", groundTruthEmotion: "happiness",
                           captions: (0..<models).map { captions(p, $0) })
        }
        try store.createStudy(name: "pilot", datasetPath: "/data", instructions: "Judge the expression only.",
                              seed: 42, models: identities, items: items)
        session = try store.openRaterSession(study: "pilot", rater: rater)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var studyName: String { session.study.name }
    var rater: String { session.rater }
    var instructions: String { session.study.instructions }
    var faceCount: Int { session.study.itemCount }
    func resumePosition() throws -> Int? { try session.resumePosition() }
    func face(at position: Int) throws -> FaceToRate { try session.face(at: position) }
    func progress() throws -> RatingProgress { try session.progress() }

    func submit(_ submission: FaceSubmission) throws -> RatingProgress {
        if let failWrites { throw failWrites }
        writes += 1
        return try session.submit(submission)
    }

    func skip(position: Int, reason: String) throws -> RatingProgress {
        if let failWrites { throw failWrites }
        writes += 1
        return try session.skip(position: position, reason: reason)
    }
}

extension RatingForm {
    /// Feeds keys; returns the last effect any of them produced.
    @discardableResult
    mutating func type(_ keys: [KeyInput]) -> Effect? {
        var last: Effect?
        for key in keys { if let effect = handle(key) { last = effect } }
        return last
    }
}

/// "78 65" -> the digit keys.
func digits(_ text: String) -> [KeyInput] { text.filter { $0 != " " }.map { KeyInput.char($0) } }
func chars(_ text: String) -> [KeyInput] { text.map { KeyInput.char($0) } }
