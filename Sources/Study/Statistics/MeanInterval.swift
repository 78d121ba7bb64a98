import Foundation

/// A sample mean with its two-sided t confidence interval: mean +- t(1 - (1-c)/2, n-1) * s / sqrt(n),
/// s the sample standard deviation. Ratings are 1-10 integers, far from normal, but with the hundreds
/// of ratings a study collects the t interval is the standard choice and the one reviewers expect.
/// Note that ratings of one face by several raters are not independent; the interval treats them as if
/// they were, as the paper's Table 5 does.
public struct MeanInterval: Codable, Equatable, Sendable {
    public var count: Int
    public var mean: Double
    /// Nil with fewer than two values: no spread to estimate.
    public var lower: Double?
    public var upper: Double?
    public var confidence: Double

    /// Nil for no values.
    public static func of(_ values: [Double], confidence: Double = 0.95) -> MeanInterval? {
        guard !values.isEmpty else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard values.count > 1 else {
            return MeanInterval(count: 1, mean: mean, lower: nil, upper: nil, confidence: confidence)
        }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let t = StudentT.quantile(probability: 1 - (1 - confidence) / 2, degreesOfFreedom: n - 1)
        let half = t * (variance / n).squareRoot()
        return MeanInterval(count: values.count, mean: mean, lower: mean - half, upper: mean + half,
                            confidence: confidence)
    }
}
