/// What each fake model "sees" in a demo face: captions in the style of its real counterpart
/// (REFERENCE.md section 1). Emot-BLIP reads contempt as happiness, the paper's known failure, so
/// the disagreement mark has something to show.
enum DemoCaptions {
    static let actions: [String: String] = [
        "happiness": "raised cheeks and pulled lip corners",
        "sadness": "raised inner eyebrows, a lowered brow and depressed lip corners",
        "surprise": "raised eyebrows, raised upper lids and a dropped jaw",
        "anger": "a lowered brow, tightened lids and tightened lips",
        "fear": "raised eyebrows, a lowered brow, stretched lips and a dropped jaw",
        "disgust": "a wrinkled nose, depressed lip corners and a depressed lower lip",
        "neutral": "relaxed eyebrows and closed lips",
        "contempt": "one pulled lip corner and a dimpler",
    ]

    static func caption(model: String, emotion: String) -> String {
        let acts = actions[emotion] ?? "no clear facial actions"
        switch model {
        case "BLIP-2": return "a close up of a cartoon face with a \(emotion == "neutral" ? "blank" : "strange") expression"
        case "AU-BLIP": return "The person shows \(acts)."
        case "Emot-BLIP": return "The face shows \(emotion == "contempt" ? "happiness" : emotion)."
        default: return "The face has \(acts), which together indicate \(emotion)."
        }
    }
}
