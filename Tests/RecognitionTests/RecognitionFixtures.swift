import Faces
import Foundation
import Tensor
@testable import Recognition

/// Tests/Fixtures/recognition, written by Training/make_recognizer_fixtures.py from the PyTorch reference
/// (Training/dfer_clip.py) and transformers' CLIPTokenizer.
enum RecognitionFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/recognition")

    static func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    static func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(name))) as! [String: Any]
    }

    static func floats(_ value: Any?) -> [Float] { (value as? [Any] ?? []).map { Float(($0 as! NSNumber).doubleValue) } }
    static func ints(_ value: Any?) -> [Int] { (value as? [Any] ?? []).map { ($0 as! NSNumber).intValue } }

    static let decode: (URL) throws -> RGBImage = { try PNGDecoder.decode(contentsOf: $0, alpha: .compositeOntoWhite) }

    /// A scratch folder removed at the end of the process.
    static func scratch(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-recognition-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
