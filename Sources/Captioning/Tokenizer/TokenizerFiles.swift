import BPE
import Foundation
import Tensor

/// Everything a byte-level BPE tokenizer needs, gathered from the files of a Hugging Face model
/// directory. Two layouts are in use:
/// - older (transformers 4.x, e.g. Salesforce/blip2-opt-2.7b): vocab.json, merges.txt, tokenizer.json,
///   tokenizer_config.json (`added_tokens_decoder`, `add_bos_token`), special_tokens_map.json,
///   added_tokens.json;
/// - transformers 5.x `save_pretrained`: only tokenizer.json and tokenizer_config.json, where
///   "add BOS" lives in tokenizer.json's TemplateProcessing post-processor.
/// Like transformers, tokenizer.json wins when present (it is what the fast tokenizer runs);
/// vocab.json + merges.txt are the fallback.
struct TokenizerDefinition {
    var vocab: [String: Int] = [:]
    var merges: [MergeRule] = []
    /// The file the vocabulary and merges came from, for error messages.
    var modelSource = ""
    var ignoreMerges = false
    var unknownToken: String?
    var addedTokens: [Int: AddedToken] = [:]
    var namedSpecial: [String: String] = [:]  // "bos_token" -> "</s>"
    var extraSpecial: [AddedToken] = []       // additional_special_tokens, ids to be resolved
    var addBOS: Bool?
    var bosFromPostProcessor: String?

    static let namedKeys = ["bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token"]

    init(directory: URL) throws {
        let fm = FileManager.default
        func file(_ name: String) -> URL? {
            let url = directory.appendingPathComponent(name)
            return fm.fileExists(atPath: url.path) ? url : nil
        }
        // Lowest priority first: later sources override earlier ones, as in transformers.
        if let url = file("added_tokens.json") { try readAddedTokensJSON(url) }
        if let url = file("special_tokens_map.json") { try readSpecialTokenNames(try JSONObjectFile(url)) }
        if let url = file("tokenizer_config.json") { try readConfig(url) }
        if let url = file("tokenizer.json") {
            try readTokenizerJSON(url)
        } else if let vocabURL = file("vocab.json") {
            guard let mergesURL = file("merges.txt") else {
                throw InputError(directory.appendingPathComponent("merges.txt").path, "missing (vocab.json needs it)")
            }
            vocab = try Self.readVocab(JSONObjectFile(vocabURL).root, path: vocabURL.path)
            merges = try Self.readMergesText(mergesURL)
            modelSource = mergesURL.path
        } else {
            throw InputError(directory.path, "no tokenizer.json or vocab.json + merges.txt")
        }
    }

    // MARK: tokenizer.json

    private mutating func readTokenizerJSON(_ url: URL) throws {
        let json = try JSONObjectFile(url)
        let model = try json.object(json.root, "model")
        let type = model["type"] as? String
        guard type == "BPE" else { throw InputError(url.path, "model.type is \(type ?? "missing"), expected BPE") }
        if let normalizer = json.root["normalizer"], !(normalizer is NSNull) {
            throw InputError(url.path, "a normalizer is not supported (GPT-2/OPT tokenizers have none)")
        }
        if let pre = json.root["pre_tokenizer"] as? [String: Any] {
            guard pre["type"] as? String == "ByteLevel" else {
                throw InputError(url.path, "pre_tokenizer \(pre["type"] ?? "?") is not supported, expected ByteLevel")
            }
            if pre["add_prefix_space"] as? Bool == true {
                throw InputError(url.path, "ByteLevel add_prefix_space=true is not supported")
            }
        }
        modelSource = url.path
        vocab = try Self.readVocab(model["vocab"] as Any, path: url.path + " (model.vocab)")
        merges = try Self.readMergesJSON(model["merges"], path: url.path)
        ignoreMerges = model["ignore_merges"] as? Bool ?? false
        unknownToken = model["unk_token"] as? String
        for entry in json.root["added_tokens"] as? [Any] ?? [] {
            guard let d = entry as? [String: Any], let id = d["id"] as? Int,
                  let token = Self.addedToken(d, id: id) else {
                throw InputError(url.path, "malformed entry in added_tokens")
            }
            addedTokens[id] = token
        }
        if let post = json.root["post_processor"] as? [String: Any] {
            bosFromPostProcessor = Self.leadingSpecialToken(post)
        }
    }

    /// The special token a TemplateProcessing post-processor puts before a single sequence
    /// (`</s> $A` for OPT), also inside a Sequence of processors.
    private static func leadingSpecialToken(_ post: [String: Any]) -> String? {
        switch post["type"] as? String {
        case "TemplateProcessing":
            guard let single = post["single"] as? [[String: Any]], let first = single.first,
                  let special = first["SpecialToken"] as? [String: Any] else { return nil }
            return special["id"] as? String
        case "Sequence":
            for p in post["processors"] as? [[String: Any]] ?? [] {
                if let t = leadingSpecialToken(p) { return t }
            }
            return nil
        default:
            return nil
        }
    }

    // MARK: vocab.json / merges

    static func readVocab(_ value: Any, path: String) throws -> [String: Int] {
        guard let dict = value as? [String: Any] else { throw InputError(path, "expected an object of token -> id") }
        var vocab: [String: Int] = [:]
        vocab.reserveCapacity(dict.count)
        for (token, v) in dict {
            guard let id = v as? Int, (0..<maxTokenID).contains(id) else {
                throw InputError(path, "token \(String(reflecting: token)) has id \(v), expected 0..<\(maxTokenID)")
            }
            vocab[token] = id
        }
        return vocab
    }

    /// Ids index lookup tables, so bound them to what any real vocabulary needs.
    static let maxTokenID = 10_000_000

    static func readMergesText(_ url: URL) throws -> [MergeRule] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw InputError(url.path, "cannot read: \(error.localizedDescription)") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(url.path, "not UTF-8 text") }
        var merges: [MergeRule] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }  // the final newline ends a line, it does not start one
        for (index, rawLine) in lines.enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.hasPrefix("#version") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw InputError(url.path, "line \(index + 1): expected two tokens separated by one space")
            }
            merges.append(MergeRule(left: String(parts[0]), right: String(parts[1]), location: "line \(index + 1)"))
        }
        return merges
    }

    /// tokenizer.json stores merges as "a b" strings (older) or ["a", "b"] pairs (tokenizers >= 0.20).
    static func readMergesJSON(_ value: Any?, path: String) throws -> [MergeRule] {
        guard let list = value as? [Any] else { throw InputError(path, "model.merges missing or not a list") }
        return try list.enumerated().map { index, entry in
            let location = "model.merges[\(index)]"
            if let pair = entry as? [String], pair.count == 2 {
                return MergeRule(left: pair[0], right: pair[1], location: location)
            }
            if let s = entry as? String {
                let parts = s.split(separator: " ", omittingEmptySubsequences: false)
                if parts.count == 2 { return MergeRule(left: String(parts[0]), right: String(parts[1]), location: location) }
            }
            throw InputError(path, "model.merges[\(index)] is not a pair of tokens")
        }
    }

    // MARK: added tokens and special-token names

    private mutating func readAddedTokensJSON(_ url: URL) throws {
        let json = try JSONObjectFile(url)
        for (content, value) in json.root {
            guard let id = value as? Int, (0..<Self.maxTokenID).contains(id) else {
                throw InputError(url.path, "token \(String(reflecting: content)) has a bad id")
            }
            // transformers 4.x default for tokens listed only here: normalized, not special
            // (named special tokens are made special later).
            addedTokens[id] = AddedToken(content: content, id: id, normalized: true)
        }
    }

    private mutating func readConfig(_ url: URL) throws {
        let json = try JSONObjectFile(url)
        if let decoder = json.root["added_tokens_decoder"] as? [String: Any] {
            for (key, value) in decoder {
                guard let id = Int(key), (0..<Self.maxTokenID).contains(id), let d = value as? [String: Any],
                      let token = Self.addedToken(d, id: id) else {
                    throw InputError(url.path, "malformed added_tokens_decoder entry \(String(reflecting: key))")
                }
                addedTokens[id] = token
            }
        }
        if let add = json.root["add_bos_token"] as? Bool { addBOS = add }
        if json.root["add_prefix_space"] as? Bool == true {
            throw InputError(url.path, "add_prefix_space=true is not supported")
        }
        try readSpecialTokenNames(json)
    }

    private mutating func readSpecialTokenNames(_ json: JSONObjectFile) throws {
        for key in Self.namedKeys {
            guard let value = json.root[key], !(value is NSNull) else { continue }
            guard let content = Self.tokenContent(value) else {
                throw InputError(json.path, "\(key) is neither a string nor an added-token object")
            }
            namedSpecial[key] = content
        }
        for key in ["additional_special_tokens", "extra_special_tokens"] {
            guard let list = json.root[key] as? [Any] else { continue }
            for value in list {
                guard let content = Self.tokenContent(value) else {
                    throw InputError(json.path, "\(key) has an entry that is not a token")
                }
                var token = (value as? [String: Any]).flatMap { Self.addedToken($0, id: -1) }
                    ?? AddedToken(content: content, id: -1)
                token.special = true
                extraSpecial.append(token)
            }
        }
    }

    /// `"</s>"`, or `{"content": "</s>", ...}` (optionally with `"__type": "AddedToken"`).
    static func tokenContent(_ value: Any) -> String? {
        if let s = value as? String { return s }
        return (value as? [String: Any])?["content"] as? String
    }

    static func addedToken(_ d: [String: Any], id: Int) -> AddedToken? {
        guard let content = d["content"] as? String else { return nil }
        let special = d["special"] as? Bool ?? false
        return AddedToken(content: content, id: id,
                          lstrip: d["lstrip"] as? Bool ?? false,
                          rstrip: d["rstrip"] as? Bool ?? false,
                          singleWord: d["single_word"] as? Bool ?? false,
                          normalized: d["normalized"] as? Bool ?? !special,
                          special: special)
    }
}

/// One merge, in rank order; `location` says where it was read ("line 7", "model.merges[5]").
struct MergeRule {
    let left: String
    let right: String
    let location: String
}

/// A JSON file whose top level must be an object; errors name the file.
struct JSONObjectFile {
    let path: String
    let root: [String: Any]

    init(_ url: URL) throws {
        path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError(url.path, "cannot read: \(error.localizedDescription)")
        }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw InputError(url.path, "not valid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw InputError(url.path, "expected a JSON object at the top level") }
        root = object
    }

    func object(_ parent: [String: Any], _ key: String) throws -> [String: Any] {
        guard let o = parent[key] as? [String: Any] else { throw InputError(path, "missing object \"\(key)\"") }
        return o
    }
}
