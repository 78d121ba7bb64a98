/// One FACS action unit with the two phrasings the Exp-BLIP paper uses (supplement, Table 1):
/// the noun form FACS names it by and the verb form the rule-based AU captions are built from.
public struct ActionUnit: Sendable, Hashable {
    public let number: Int
    /// "inner brow raiser"
    public let noun: String
    /// "raise inner eyebrow" (base form; captions conjugate the first word).
    public let verb: String
}

/// The paper's action-unit vocabulary and its rule-based caption.
public enum FACS {
    public static let actionUnits: [ActionUnit] = [
        ActionUnit(number: 1, noun: "inner brow raiser", verb: "raise inner eyebrow"),
        ActionUnit(number: 2, noun: "outer brow raiser", verb: "raise outer eyebrow"),
        ActionUnit(number: 4, noun: "brow lowerer", verb: "lower brow"),
        ActionUnit(number: 5, noun: "upper lid raiser", verb: "raise upper lid"),
        ActionUnit(number: 6, noun: "cheek raiser", verb: "raise cheek"),
        ActionUnit(number: 7, noun: "lid tightener", verb: "tighten lids"),
        ActionUnit(number: 8, noun: "lips toward each other", verb: "pull lips toward each other"),
        ActionUnit(number: 9, noun: "nose wrinkler", verb: "wrinkle nose"),
        ActionUnit(number: 10, noun: "upper lip raiser", verb: "raise upper lip"),
        ActionUnit(number: 11, noun: "nasolabial deepener", verb: "deepen nasolabial"),
        ActionUnit(number: 12, noun: "lip corner puller", verb: "pull lip corner"),
        ActionUnit(number: 14, noun: "dimpler", verb: "tighten lip corner"),
        ActionUnit(number: 15, noun: "lip corner depressor", verb: "depress lip corner"),
        ActionUnit(number: 16, noun: "lower lip depressor", verb: "depress lower lip"),
        ActionUnit(number: 17, noun: "chin raiser", verb: "raise chin"),
        ActionUnit(number: 18, noun: "lip pucker", verb: "pucker lips"),
        ActionUnit(number: 19, noun: "tongue show", verb: "stick tongue out"),
        ActionUnit(number: 20, noun: "lip stretch", verb: "stretch lips"),
        ActionUnit(number: 21, noun: "neck tightener", verb: "tighten neck"),
        ActionUnit(number: 22, noun: "lip funneler", verb: "show lip funneler"),
        ActionUnit(number: 23, noun: "lip tightener", verb: "tighten lips"),
        ActionUnit(number: 24, noun: "lip pressor", verb: "press lips"),
        ActionUnit(number: 25, noun: "lips part", verb: "separate lips"),
        ActionUnit(number: 26, noun: "jaw drop", verb: "drop jaw"),
        ActionUnit(number: 27, noun: "mouth stretch", verb: "stretch mouth"),
        ActionUnit(number: 28, noun: "lip suck", verb: "suck lips"),
        ActionUnit(number: 43, noun: "eyes closed", verb: "close eyes"),
    ]

    private static let byNumber = Dictionary(uniqueKeysWithValues: actionUnits.map { ($0.number, $0) })

    public static func unit(_ number: Int) -> ActionUnit? { byNumber[number] }

    /// The paper's rule-based AU caption, e.g. for 1, 2, 5, 25, 26: "It is a people who raises inner
    /// eyebrow, raises outer eyebrow, raises upper lid, separates lips and drops jaw." (its grammar).
    /// Nil when no listed AU is given, as the paper writes no rule-based caption then.
    public static func ruleBasedCaption(for numbers: [Int]) -> String? {
        let phrases = numbers.compactMap { unit($0) }.map { thirdPerson($0.verb) }
        guard let last = phrases.last else { return nil }
        let body = phrases.count == 1 ? last : phrases.dropLast().joined(separator: ", ") + " and " + last
        return "It is a people who \(body)."
    }

    /// "raise inner eyebrow" -> "raises inner eyebrow", "stretch lips" -> "stretches lips".
    static func thirdPerson(_ verbPhrase: String) -> String {
        var words = verbPhrase.split(separator: " ").map(String.init)
        guard let verb = words.first else { return verbPhrase }
        let sibilant = ["s", "sh", "ch", "x", "z"].contains { verb.hasSuffix($0) }
        words[0] = verb + (sibilant ? "es" : "s")
        return words.joined(separator: " ")
    }
}
