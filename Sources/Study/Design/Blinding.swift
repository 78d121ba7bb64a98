/// Blind presentation: which model's caption a rater sees under each letter.
///
/// The order is a permutation drawn from (study seed, rater, image), so it differs between raters and
/// images, yet a rater who reopens a face, or resumes after a dropped connection, sees the same letters.
public enum Blinding {
    /// `order[displayIndex]` is the model slot shown at that position (letter A is display index 0).
    public static func order(seed: UInt64, rater: String, imageID: String, modelCount: Int) -> [Int] {
        var hash = fnvOffsetBasis ^ seed
        stableHash(rater, into: &hash)
        stableHash(imageID, into: &hash)
        var generator = SplitMix64(seed: hash)
        var slots = Array(0..<modelCount)
        // Fisher-Yates from the back.
        var index = modelCount - 1
        while index > 0 {
            slots.swapAt(index, generator.below(index + 1))
            index -= 1
        }
        return slots
    }

    /// The most models a study may compare: one letter each.
    public static let maxModels = 26

    /// "A", "B", ... for display index 0, 1, ...
    public static func letter(_ displayIndex: Int) -> String {
        precondition((0..<maxModels).contains(displayIndex), "display index out of range")
        return String(UnicodeScalar(UInt8(65 + displayIndex)))
    }
}
