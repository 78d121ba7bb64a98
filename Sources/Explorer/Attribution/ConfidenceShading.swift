import Captioning
import Foundation

/// `c`: a caption's words shaded by how sure the model was of them (a word is as sure as its least
/// sure token), in place of the emotion / action colours.
public enum ConfidenceShading {
    /// Below this probability a word is "unsure"; below `veryUnsure`, "very unsure".
    public static let unsure: Float = 0.5
    public static let veryUnsure: Float = 0.2

    public static func highlights(caption: String, words: [CaptionWord], logprobs: [Float]) -> CaptionHighlights {
        let characters = caption.count
        var spans: [HighlightSpan] = []
        for word in words where word.end <= characters {
            guard let p = CaptionWords.confidence(word, logprobs: logprobs), p < unsure else { continue }
            let lower = caption.index(caption.startIndex, offsetBy: word.start)
            let upper = caption.index(caption.startIndex, offsetBy: word.end)
            spans.append(HighlightSpan(kind: p < veryUnsure ? .veryUnsure : .unsure, range: lower..<upper))
        }
        return CaptionHighlights(spans: spans)
    }

    /// "p min 0.12 · mean 0.81" for a pane title or a list.
    public static func summary(_ logprobs: [Float]) -> String? {
        guard !logprobs.isEmpty else { return nil }
        let p = logprobs.map { exp(Double($0)) }
        return String(format: "p min %.2f mean %.2f", p.min()!, p.reduce(0, +) / Double(p.count))
    }
}

/// Which words of two captions differ (a word-level longest common subsequence): what the
/// occlusion probe highlights.
public enum WordDiff {
    /// Indices of the words of `a` and of `b` outside their longest common subsequence.
    public static func changed(_ a: [String], _ b: [String]) -> (inA: Set<Int>, inB: Set<Int>) {
        let n = a.count, m = b.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = normalise(a[i]) == normalise(b[j]) ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var keptA = Set<Int>(), keptB = Set<Int>(), i = 0, j = 0
        while i < n && j < m {
            if normalise(a[i]) == normalise(b[j]) { keptA.insert(i); keptB.insert(j); i += 1; j += 1 }
            else if table[i + 1][j] >= table[i][j + 1] { i += 1 } else { j += 1 }
        }
        return (Set(0..<n).subtracting(keptA), Set(0..<m).subtracting(keptB))
    }

    /// Highlights for the changed words of a caption (words split at whitespace).
    public static func highlights(_ caption: String, changed: Set<Int>) -> CaptionHighlights {
        var spans: [HighlightSpan] = []
        var index = 0, i = caption.startIndex
        while i < caption.endIndex {
            if caption[i].isWhitespace { i = caption.index(after: i); continue }
            var j = i
            while j < caption.endIndex && !caption[j].isWhitespace { j = caption.index(after: j) }
            if changed.contains(index) { spans.append(HighlightSpan(kind: .changed, range: i..<j)) }
            index += 1
            i = j
        }
        return CaptionHighlights(spans: spans)
    }

    public static func words(_ caption: String) -> [String] { caption.split(whereSeparator: \.isWhitespace).map(String.init) }

    static func normalise(_ word: String) -> String { word.lowercased().trimmingCharacters(in: .punctuationCharacters) }
}
