import Explorer
import Faces

/// A word-list stand-in for Faces' CaptionAnalysis: finds emotion words and the demo's action
/// phrases, and flags emotions that differ from the ground truth.
enum KeywordAnalyzer {
    static let emotionWords: [String: String] = [
        "happiness": "happiness", "happy": "happiness", "sadness": "sadness", "sad": "sadness",
        "surprise": "surprise", "surprised": "surprise", "anger": "anger", "angry": "anger",
        "fear": "fear", "afraid": "fear", "disgust": "disgust", "contempt": "contempt", "neutral": "neutral",
    ]
    static let actionPhrases = [
        "raised cheeks", "pulled lip corners", "pulled lip corner", "raised inner eyebrows", "lowered brow",
        "depressed lip corners", "raised eyebrows", "raised upper lids", "dropped jaw", "tightened lids",
        "tightened lips", "stretched lips", "wrinkled nose", "depressed lower lip", "dimpler",
    ]

    static func analyze(_ caption: String, _ truth: FaceLabels?) -> CaptionHighlights {
        var result = CaptionHighlights()
        let lower = caption.lowercased()
        // Ranges found in `lower` are used on `caption`: only valid when both have the same UTF-8 layout.
        guard lower.utf8.count == caption.utf8.count else { return result }
        for phrase in actionPhrases {
            var from = lower.startIndex
            while let r = lower.range(of: phrase, range: from..<lower.endIndex) {
                result.spans.append(HighlightSpan(kind: .action, range: r))
                from = r.upperBound
            }
        }
        var index = lower.startIndex
        while index < lower.endIndex {
            guard lower[index].isLetter else { index = lower.index(after: index); continue }
            var end = index
            while end < lower.endIndex && lower[end].isLetter { end = lower.index(after: end) }
            if let emotion = emotionWords[String(lower[index..<end])] {
                let differs = truth?.emotion.map { $0 != emotion } ?? false
                result.spans.append(HighlightSpan(kind: differs ? .disagreeingEmotion : .emotion, range: index..<end))
                if !result.namedEmotions.contains(emotion) { result.namedEmotions.append(emotion) }
                if differs, !result.disagreeingEmotions.contains(emotion) { result.disagreeingEmotions.append(emotion) }
            }
            index = end
        }
        result.verdict = EmotionVerdict.judge(named: result.namedEmotions.compactMap(Emotion.init(label:)),
                                              truth: truth?.emotions ?? [])
        return result
    }

    static let actionUnitNames: [Int: String] = [
        1: "inner brow raiser", 2: "outer brow raiser", 4: "brow lowerer", 5: "upper lid raiser", 6: "cheek raiser",
        7: "lid tightener", 9: "nose wrinkler", 12: "lip corner puller", 14: "dimpler", 15: "lip corner depressor",
        16: "lower lip depressor", 20: "lip stretch", 23: "lip tightener", 26: "jaw drop",
    ]
}
