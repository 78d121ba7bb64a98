import BPE
import Foundation
import Tensor

/// OpenAI CLIP's BPE tokenizer, reproducing transformers' `CLIPTokenizer` (the `tokenizers` pipeline it
/// builds from vocab.json + merges.txt) id for id:
/// `<|startoftext|>` / `<|endoftext|>` in the text are matched whole first; the rest is normalised
/// (NFC, every whitespace run to one space, lower case), split by CLIP's pattern (`CLIPPreTokenizer`),
/// spelled in the byte-level alphabet with `</w>` on each piece's last symbol, and merged by rank with
/// the merger the GPT-2 tokenizer uses. The result is wrapped in SOT ... EOT.
public final class CLIPTokenizer: Sendable {
    public static let startOfText = "<|startoftext|>"
    public static let endOfText = "<|endoftext|>"
    public static let wordEnd = "</w>"

    public let startID: Int
    public let endID: Int
    public let vocabSize: Int
    private let merger: BPEMerger
    /// Id of each byte's symbol when it ends a piece (`x</w>`); -1 when missing.
    private let wordEndByteIDs: [Int32]
    private let splitter: AddedTokenSplitter
    private let tokenByID: [String?]
    private let cache = BPECache()

    public convenience init(directory: URL) throws {
        try self.init(vocab: directory.appendingPathComponent("vocab.json"), merges: directory.appendingPathComponent("merges.txt"))
    }

    public init(vocab vocabURL: URL, merges mergesURL: URL) throws {
        guard let vocabData = FileManager.default.contents(atPath: vocabURL.path) else {
            throw InputError(vocabURL.path, FileManager.default.fileExists(atPath: vocabURL.path) ? "cannot be read" : "no such file")
        }
        guard let vocab = try? JSONDecoder().decode([String: Int].self, from: vocabData) else {
            throw InputError(vocabURL.path, "not a JSON object of token -> id")
        }
        guard let mergesText = try? String(contentsOf: mergesURL, encoding: .utf8) else {
            throw InputError(mergesURL.path, FileManager.default.fileExists(atPath: mergesURL.path) ? "not UTF-8 text" : "no such file")
        }
        guard let start = vocab[CLIPTokenizer.startOfText], let end = vocab[CLIPTokenizer.endOfText] else {
            throw InputError(vocabURL.path, "lacks \(CLIPTokenizer.startOfText) or \(CLIPTokenizer.endOfText), so it is not a CLIP vocabulary")
        }
        startID = start
        endID = end
        let maxID = vocab.values.max() ?? 0
        guard end == maxID else {
            // CLIP finds the end of a prompt as the argmax of its ids; another order would find the wrong row.
            throw InputError(vocabURL.path, "\(CLIPTokenizer.endOfText) has id \(end), not the largest id \(maxID)")
        }
        vocabSize = maxID + 1
        var tokens = [String?](repeating: nil, count: vocabSize)
        for (t, id) in vocab where id >= 0 { tokens[id] = t }
        tokenByID = tokens

        var table: [UInt64: BPEMerger.Merge] = [:]
        var rank: Int32 = 0
        for (number, line) in mergesText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#version") || line.isEmpty { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, let left = vocab[String(parts[0])], let right = vocab[String(parts[1])],
                  let joined = vocab[String(parts[0]) + String(parts[1])] else {
                throw InputError(mergesURL.path, "line \(number + 1): merge \"\(line)\" uses a token missing from vocab.json")
            }
            table[BPEMerger.key(Int32(left), Int32(right))] = .init(rank: rank, newID: Int32(joined))
            rank += 1
        }
        let alphabet = ByteLevelAlphabet.scalarForByte.map { String($0) }
        merger = BPEMerger(merges: table, byteIDs: alphabet.map { Int32(vocab[$0] ?? -1) }, unknownID: Int32(end))
        wordEndByteIDs = alphabet.map { Int32(vocab[$0 + CLIPTokenizer.wordEnd] ?? -1) }
        splitter = AddedTokenSplitter([AddedToken(content: CLIPTokenizer.startOfText, id: start, special: true),
                                       AddedToken(content: CLIPTokenizer.endOfText, id: end, special: true)])
    }

    /// `[SOT] ids [EOT]`, as `CLIPTokenizer(text).input_ids`.
    public func encode(_ text: String) -> [Int] {
        let bytes = Array(text.utf8)
        var ids = [startID]
        for segment in splitter.split(bytes) {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let range):
                let normalized = Array(CLIPPreTokenizer.normalize(String(decoding: bytes[range], as: UTF8.self)).utf8)
                for piece in CLIPPreTokenizer.pieces(of: normalized) {
                    ids += cache.ids(for: normalized[piece], compute: encodePiece)
                }
            }
        }
        ids.append(endID)
        return ids
    }

    /// The vocabulary spelling of an id (for tests and messages).
    public func token(of id: Int) -> String? { id >= 0 && id < tokenByID.count ? tokenByID[id] : nil }

    private func encodePiece(_ piece: ArraySlice<UInt8>) -> [Int] {
        var symbols: [Int32] = []
        symbols.reserveCapacity(piece.count)
        let unknown = Int32(endID)
        for (k, b) in piece.enumerated() {
            let id = k == piece.count - 1 ? wordEndByteIDs[Int(b)] : merger.byteIDs[Int(b)]
            symbols.append(id >= 0 ? id : unknown)
        }
        return merger.tokenIDs(symbols: symbols)
    }
}
