import Foundation

/// The report as text for a terminal (at most 80 columns) and as JSON for scripts.
extension StudyReport {
    public func renderText() -> String {
        var lines: [String] = []
        lines.append("Study \(study): \(Self.count(faces, "face")), \(Self.count(raters, "rater")), "
            + "\(Self.count(answers, "rated answer")), \(skipped) skipped")
        if !revealed { lines.append("Models are blind (model-N) until the study is revealed or finished.") }
        lines.append("")
        lines += Self.table(models)
        lines.append("")
        lines.append("Inter-rater agreement, Krippendorff's alpha (interval metric):")
        lines.append("  correctness \(Self.number(agreement.correctness, digits: 3)), "
            + "completeness \(Self.number(agreement.completeness, digits: 3))")
        lines.append("  from \(Self.count(agreement.pairableUnits, "face-model unit")) rated by 2 or more raters")
        for group in byEmotion {
            lines.append("")
            lines.append("Ground truth \(group.emotion): \(Self.count(group.answers, "rated answer"))")
            lines += Self.table(group.models)
        }
        if hasClippedInterval {
            lines.append("")
            lines.append("* the 95% t interval on so few ratings passes the 1-10 scale: shown clipped")
        }
        return lines.map(Self.fitted).joined(separator: "\n") + "\n"
    }

    /// Pretty-printed with sorted keys, so reports diff cleanly; absent values are `null`. Keys are
    /// snake_case (`model_number`, `most_complete`), as in the export and as pandas and R users expect.
    public func renderJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    static let width = 80

    /// Whether any interval in the text (overall or by emotion) was clipped to the scale.
    var hasClippedInterval: Bool {
        (models + byEmotion.flatMap(\.models)).contains { $0.correctness?.clipped == true || $0.completeness?.clipped == true }
    }

    /// "1 rater", "2 raters".
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    // model(13) n(5) correctness(20) completeness(20) most(8) least(8), one space between: 79.
    // An interval clipped to the 1-10 scale is marked "*" and explained under the table.
    private static func table(_ models: [ModelFigures]) -> [String] {
        var lines = [row("model", "n", "correctness 95% CI", "completeness 95% CI", "most", "least")]
        for figures in models {
            lines.append(row(figures.model, "\(figures.ratings)", interval(figures.correctness),
                             interval(figures.completeness), percent(figures.mostComplete.fraction),
                             percent(figures.leastComplete.fraction)))
        }
        return lines
    }

    private static func row(_ model: String, _ n: String, _ correctness: String, _ completeness: String,
                            _ most: String, _ least: String) -> String {
        [pad(truncated(model, 13), 13), leftPad(n, 5), pad(correctness, 20), pad(completeness, 20),
         leftPad(most, 8), leftPad(least, 8)].joined(separator: " ")
    }

    private static func interval(_ value: MeanInterval?) -> String {
        guard let value else { return "-" }
        let mean = String(format: "%.2f", value.mean)
        guard let lower = value.lower, let upper = value.upper else { return mean }
        return "\(mean) [\(String(format: "%.2f", lower)), \(String(format: "%.2f", upper))]" + (value.clipped ? "*" : "")
    }

    private static func percent(_ fraction: Double?) -> String {
        fraction.map { String(format: "%.2f%%", $0 * 100) } ?? "-"
    }

    private static func number(_ value: Double?, digits: Int) -> String {
        value.map { String(format: "%.\(digits)f", $0) } ?? "undefined"
    }

    private static func truncated(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "~"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Trailing spaces off; anything still too wide (a long study or emotion name) is cut.
    private static func fitted(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return truncated(line, width)
    }
}
