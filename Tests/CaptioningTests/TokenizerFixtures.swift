import Foundation
@testable import Captioning

/// The reference data written by Training/make_tokenizer_fixtures.py from Hugging Face
/// `tokenizers` + `transformers` (never from this code).
enum TokenizerFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tokenizer")

    struct EncodeCase: Decodable {
        let text: String
        let ids: [Int]
        let ids_no_special: [Int]
        let decoded: String
        let decoded_with_special: String
    }

    struct DecodeCase: Decodable {
        let ids: [Int]
        let bytes: [Int]?
        let skip_special: String
        let with_special: String
    }

    struct Suite: Decodable {
        let vocab_size: Int
        let encode: [EncodeCase]
        let decode: [DecodeCase]?
    }

    struct Cases: Decodable {
        let opt: Suite
        let flags: Suite
    }

    static let cases: Cases = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("cases.json"))
        return try! JSONDecoder().decode(Cases.self, from: data)
    }()

    static func tokenizer(_ name: String) throws -> BPETokenizer {
        try BPETokenizer(directory: directory.appendingPathComponent(name))
    }

    /// A copy of `source` with only `files`, in a fresh temporary directory.
    static func subset(of source: String, files: [String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("tokenizer-subset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in files {
            try FileManager.default.copyItem(at: directory.appendingPathComponent(source).appendingPathComponent(f),
                                             to: dir.appendingPathComponent(f))
        }
        return dir
    }
}
