/// Draws the images of a study: `count` distinct ids, reproducible from `seed`.
public enum StudySampler {
    /// The ids are sorted before drawing, so the sample depends only on the set of ids and the seed, not on
    /// the order a file system happened to list them in. The result is in draw order, which becomes the
    /// order faces are presented in.
    public static func sample(imageIDs: [String], count: Int, seed: UInt64) throws -> [String] {
        let pool = imageIDs.sorted()
        if let duplicate = zip(pool, pool.dropFirst()).first(where: { $0 == $1 }) {
            throw StudyError.invalidInput("image id \"\(duplicate.0)\" appears twice in the dataset")
        }
        guard count > 0 else {
            throw StudyError.invalidInput("--sample must be at least 1 (got \(count))")
        }
        guard count <= pool.count else {
            throw StudyError.invalidInput(
                "--sample \(count) asks for more images than the dataset has (\(pool.count))")
        }
        // A partial Fisher-Yates shuffle: the first `count` slots end up a uniform random sample.
        var shuffled = pool
        var generator = SplitMix64(seed: seed)
        for index in 0..<count {
            let pick = index + generator.below(shuffled.count - index)
            shuffled.swapAt(index, pick)
        }
        return Array(shuffled.prefix(count))
    }
}
