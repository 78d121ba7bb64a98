import Foundation
import XCTest
@testable import Study

/// A fresh folder per test, removed afterwards.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("facecap-study-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

let twoModels = [ModelIdentity(name: "Exp-BLIP", identity: "exp sha256:01"),
                 ModelIdentity(name: "Cat-BLIP", identity: "cat sha256:02")]

/// Submits scores given per model slot (as a test knows them), translating to the rater's blind order
/// the way the rating screen would see it.
@discardableResult
func submitBySlot(_ session: RaterSession, position: Int, _ scores: [(Int, Int)],
                  most: Int? = nil, least: Int? = nil, comment: String? = nil) throws -> RatingProgress {
    let order = try session.blindOrder(position: position)
    let displayed = order.map { CaptionScore(correctness: scores[$0].0, completeness: scores[$0].1) }
    return try session.submit(FaceSubmission(
        position: position, scores: displayed,
        mostComplete: most.flatMap { order.firstIndex(of: $0) },
        leastComplete: least.flatMap { order.firstIndex(of: $0) }, comment: comment))
}

/// Runs a program and returns what it printed; fails the test if it exits non-zero.
func runProgram(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    let inputPipe = Pipe()
    process.standardOutput = output
    process.standardInput = inputPipe
    try process.run()
    if let input { inputPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inputPipe.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, "\(executable) \(arguments) failed")
    return String(decoding: data, as: UTF8.self)
}

func findExecutable(_ name: String) -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}
