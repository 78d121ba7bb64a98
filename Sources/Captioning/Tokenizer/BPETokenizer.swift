import BPE
import Foundation
import Tensor

/// GPT-2 byte-level BPE, the tokenizer of OPT and BLIP-2 OPT, reproducing Hugging Face's fast
/// tokenizer (`tokenizers` 0.23, what transformers 5.x runs) id for id.
///
/// Encoding: split out added tokens (`</s>`, `<pad>`, `<image>`), split the rest with GPT-2's
/// pre-tokenization pattern, spell each piece's UTF-8 bytes in the byte-level alphabet, merge by
/// rank, look up ids. Decoding: concatenate the bytes of each token, then UTF-8 with U+FFFD for
/// invalid sequences (Rust's `from_utf8_lossy`, which Swift's repairing decoder matches).
/// transformers 5.x never applies `clean_up_tokenization_spaces` to BPE tokenizers (it ignores
/// the flag with a warning), so neither do we.
public final class BPETokenizer: Sendable {
    public let bosTokenID: Int?
    public let eosTokenID: Int?
    public let padTokenID: Int?
    /// Whether the tokenizer files ask for BOS (`add_bos_token`, or a `</s> $A` post-processor).
    /// True for OPT; `encode(_:addBOS:)` takes its own flag.
    public let addsBOSByDefault: Bool
    /// Tokens matched whole before BPE, by id.
    public let addedTokens: [AddedToken]

    private let tokenByID: [String?]
    private let bytesByID: [[UInt8]?]
    private let specialByID: [Bool]
    private let idByToken: [[UInt8]: Int]
    private let splitter: AddedTokenSplitter
    private let merger: BPEMerger
    /// With `ignore_merges`, a piece that is itself in the vocabulary is not merged.
    private let wholePieceIDs: [[UInt8]: Int]?
    private let cache = BPECache()

    public init(directory: URL) throws {
        var def = try TokenizerDefinition(directory: directory)
        let path = directory.path

        var maxID = max(def.vocab.values.max() ?? -1, def.addedTokens.keys.max() ?? -1)
        // Named special tokens (bos/eos/unk/pad...) that are not added tokens yet become special
        // added tokens, with their vocabulary id or a fresh one, as transformers does on load.
        var contentsAdded = Set(def.addedTokens.values.map { Array($0.content.utf8) })
        let named = TokenizerDefinition.namedKeys.compactMap { def.namedSpecial[$0] }
            .map { AddedToken(content: $0, id: -1, special: true) }
        for var token in named + def.extraSpecial where !contentsAdded.contains(Array(token.content.utf8)) {
            if let id = def.vocab[token.content] {
                token.id = id
            } else {
                maxID += 1
                token.id = maxID
            }
            token.special = true
            def.addedTokens[token.id] = token
            contentsAdded.insert(Array(token.content.utf8))
        }
        guard maxID >= 0 else { throw InputError(path, "the vocabulary is empty") }

        var tokens = [String?](repeating: nil, count: maxID + 1)
        var ids: [[UInt8]: Int] = [:]
        ids.reserveCapacity(def.vocab.count + def.addedTokens.count)
        for (token, id) in def.vocab {
            tokens[id] = token
            ids[Array(token.utf8)] = id
        }
        for (id, token) in def.addedTokens.sorted(by: { $0.key < $1.key }) {
            tokens[id] = token.content
            ids[Array(token.content.utf8)] = id
        }
        tokenByID = tokens
        idByToken = ids
        // The ByteLevel decoder reads a token in the byte alphabet when it can, else as UTF-8 text.
        bytesByID = tokens.map { t in t.map { ByteLevelAlphabet.bytes(ofToken: $0) ?? Array($0.utf8) } }
        let specialContents = Set(def.addedTokens.values.filter(\.special).map { Array($0.content.utf8) })
        specialByID = tokens.map { t in t.map { specialContents.contains(Array($0.utf8)) } ?? false }
        addedTokens = def.addedTokens.values.sorted { $0.id < $1.id }
        splitter = AddedTokenSplitter(addedTokens)

        var mergeTable: [UInt64: BPEMerger.Merge] = [:]
        mergeTable.reserveCapacity(def.merges.count)
        for (rank, rule) in def.merges.enumerated() {
            guard let left = def.vocab[rule.left], let right = def.vocab[rule.right],
                  let joined = def.vocab[rule.left + rule.right] else {
                throw InputError(def.modelSource, "\(rule.location): merge \"\(rule.left) \(rule.right)\" uses a token missing from the vocabulary")
            }
            mergeTable[BPEMerger.key(Int32(left), Int32(right))] = .init(rank: Int32(rank), newID: Int32(joined))
        }
        let byteIDs = ByteLevelAlphabet.scalarForByte.map { s in Int32(def.vocab[String(s)] ?? -1) }
        merger = BPEMerger(merges: mergeTable, byteIDs: byteIDs,
                           unknownID: def.unknownToken.flatMap { def.vocab[$0] }.map(Int32.init))
        wholePieceIDs = def.ignoreMerges
            ? Dictionary(def.vocab.compactMap { t, id in ByteLevelAlphabet.bytes(ofToken: t).map { ($0, id) } },
                         uniquingKeysWith: { a, _ in a })
            : nil

        func idOf(_ content: String?) -> Int? { content.flatMap { ids[Array($0.utf8)] } }
        bosTokenID = idOf(def.namedSpecial["bos_token"] ?? def.bosFromPostProcessor)
        eosTokenID = idOf(def.namedSpecial["eos_token"])
        padTokenID = idOf(def.namedSpecial["pad_token"])
        addsBOSByDefault = def.addBOS ?? (def.bosFromPostProcessor != nil)
    }

    /// Number of ids (highest id + 1; transformers' `len(tokenizer)` for dense ids).
    public var vocabSize: Int { tokenByID.count }

    /// Id of a token spelled as in vocab.json (byte-level, e.g. "Ġworld") or of an added token.
    public func id(of token: String) -> Int? { idByToken[Array(token.utf8)] }

    /// A token as spelled in vocab.json, or an added token's content.
    public func token(of id: Int) -> String? {
        id >= 0 && id < tokenByID.count ? tokenByID[id] : nil
    }

    /// Whether `decode(skipSpecialTokens: true)` drops this id.
    public func isSpecial(_ id: Int) -> Bool { id >= 0 && id < specialByID.count && specialByID[id] }

    /// Token ids of `text`, preceded by the BOS token (`</s>` for OPT) when `addBOS` is true and the
    /// tokenizer has one. Equals transformers' `tokenizer(text).input_ids` for OPT.
    public func encode(_ text: String, addBOS: Bool = true) -> [Int] {
        let bytes = Array(text.utf8)
        var ids: [Int] = []
        ids.reserveCapacity(bytes.count / 3 + 2)
        if addBOS, let bos = bosTokenID { ids.append(bos) }
        for segment in splitter.split(bytes) {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let range):
                for piece in GPT2PreTokenizer.pieces(of: bytes, in: range) {
                    ids += cache.ids(for: bytes[piece], compute: encodePiece)
                }
            }
        }
        return ids
    }

    private func encodePiece(_ piece: ArraySlice<UInt8>) -> [Int] {
        if let wholePieceIDs, let id = wholePieceIDs[Array(piece)] { return [id] }
        return merger.tokenIDs(for: piece)
    }

    /// Text of `ids`; unknown ids are skipped, as in `tokenizers`. Cost is linear in the number of
    /// bytes, so re-decoding the growing prefix of a caption for display is cheap.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids where id >= 0 && id < bytesByID.count {
            guard let b = bytesByID[id], !(skipSpecialTokens && specialByID[id]) else { continue }
            bytes += b
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
