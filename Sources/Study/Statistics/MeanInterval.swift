import Foundation

/// A sample mean with its two-sided t confidence interval: mean +- t(1 - (1-c)/2, n-1) * s / sqrt(n),
/// s the sample standard deviation. Ratings are 1-10 integers, far from normal, but with the hundreds
/// of ratings a study collects the t interval is the standard choice and the one reviewers expect.
/// Note that ratings of one face by several raters are not independent; the interval treats them as if
/// they were, as the paper's Table 5 does.
///
/// With very few ratings the t interval is wide enough to leave the rating scale (two ratings 1 and
/// 10 give 5.5 +- 57). The mean of ratings cannot leave the scale, so the interval is clipped to it
/// and marked `clipped`, and reports say so: the clipped interval still reads "this says nearly
/// nothing", which is the truth, without showing impossible scores.
public struct MeanInterval: Codable, Equatable, Sendable {
    public var count: Int
    public var mean: Double
    /// Nil with fewer than two values: no spread to estimate.
    public var lower: Double?
    public var upper: Double?
    public var confidence: Double
    /// The t interval reached past `scale` and was cut to it.
    public var clipped: Bool = false

    /// Nil for no values.
    public static func of(_ values: [Double], confidence: Double = 0.95,
                          scale: ClosedRange<Double>? = nil) -> MeanInterval? {
        guard !values.isEmpty else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard values.count > 1 else {
            return MeanInterval(count: 1, mean: mean, lower: nil, upper: nil, confidence: confidence)
        }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let t = StudentT.quantile(probability: 1 - (1 - confidence) / 2, degreesOfFreedom: n - 1)
        let half = t * (variance / n).squareRoot()
        var interval = MeanInterval(count: values.count, mean: mean, lower: mean - half, upper: mean + half,
                                    confidence: confidence)
        if let scale, mean - half < scale.lowerBound || mean + half > scale.upperBound {
            interval.lower = max(mean - half, scale.lowerBound)
            interval.upper = min(mean + half, scale.upperBound)
            interval.clipped = true
        }
        return interval
    }
}
