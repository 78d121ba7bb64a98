/// Krippendorff's alpha, the agreement among any number of coders with missing values:
/// alpha = 1 - D_o / D_e, observed over expected disagreement, following Krippendorff (2011),
/// "Computing Krippendorff's Alpha-Reliability", section C.
///
/// A unit is one thing that was rated (here an (image, model) pair); its values are the ratings the
/// coders (raters) who rated it gave. Units with fewer than two values carry no pairs and drop out.
public enum KrippendorffAlpha {
    public enum Metric: String, Codable, Sendable {
        /// Only equal or not (for labels).
        case nominal
        /// Squared difference (for scores such as 1-10 ratings).
        case interval

        func delta(_ a: Double, _ b: Double) -> Double {
            switch self {
            case .nominal: return a == b ? 0 : 1
            case .interval: return (a - b) * (a - b)
            }
        }
    }

    /// Nil when there is nothing to agree on: fewer than two pairable values, or no variation at all
    /// (expected disagreement 0, alpha undefined).
    public static func compute(units: [[Double]], metric: Metric) -> Double? {
        let pairable = units.filter { $0.count >= 2 }
        // Distinct values with their counts n_c over all pairable values.
        var counts: [Double: Double] = [:]
        for unit in pairable { for value in unit { counts[value, default: 0] += 1 } }
        let n = counts.values.reduce(0, +)
        guard n >= 2 else { return nil }

        // D_o: each unit's ordered pairs of different coders, weighted 1/(m_u - 1).
        var observed = 0.0
        for unit in pairable {
            var sum = 0.0
            for i in unit.indices { for j in unit.indices where j != i { sum += metric.delta(unit[i], unit[j]) } }
            observed += sum / Double(unit.count - 1)
        }
        observed /= n

        // D_e: all ordered pairs of pairable values, from the value counts.
        var expected = 0.0
        for (c, nc) in counts { for (k, nk) in counts where k != c { expected += nc * nk * metric.delta(c, k) } }
        expected /= n * (n - 1)
        guard expected > 0 else { return nil }
        return 1 - observed / expected
    }
}
