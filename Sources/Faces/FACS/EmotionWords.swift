/// The words captions use for each emotion, wider than dataset labels ("joyful", "scared",
/// "furious"). Left out on purpose: words that also describe actions or other emotions
/// ("smiling" is AU 12, "depressed" is the lip-corner depressor, "upset", "worried", "mad",
/// "horrified" and "content" lean several ways), so a flagged disagreement is a real one.
enum EmotionWords {
    static let forms: [Emotion: [String]] = [
        .happiness: ["happy", "happiness", "happily", "joy", "joyful", "joyous", "glad", "gladness", "cheerful",
                     "delighted", "delight", "amused", "amusement", "elated", "pleased"],
        .sadness: ["sad", "sadness", "sadly", "sorrow", "sorrowful", "unhappy", "unhappiness", "grief",
                   "grieving", "melancholy", "gloomy", "dejected", "downcast", "miserable"],
        .surprise: ["surprise", "surprised", "surprising", "astonished", "astonishment", "amazed", "amazement",
                    "shocked", "startled", "astounded"],
        .fear: ["fear", "fearful", "afraid", "scared", "frightened", "fright", "terrified", "terror", "panic",
                "panicked"],
        .anger: ["anger", "angry", "angrily", "angered", "furious", "fury", "rage", "enraged", "irritated",
                 "irritation", "annoyed", "annoyance", "irate", "outraged"],
        .disgust: ["disgust", "disgusted", "disgusting", "revulsion", "repulsed", "revolted"],
        .contempt: ["contempt", "contemptuous", "disdain", "disdainful", "scorn", "scornful"],
        .neutral: ["neutral", "calm", "expressionless", "impassive", "unemotional"],
    ]

    static let byWord: [String: Emotion] = {
        var map: [String: Emotion] = [:]
        for (emotion, words) in forms {
            for word in words {
                precondition(map[word] == nil, "\(word) is listed for two emotions")
                map[word] = emotion
            }
        }
        return map
    }()
}
