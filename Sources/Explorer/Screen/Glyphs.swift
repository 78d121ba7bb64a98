/// The few non-letter glyphs the screen uses, with ASCII stand-ins for non-UTF-8 locales.
public struct Glyphs: Sendable {
    public var captioned: String
    public var rated: String
    public var disagrees: String
    /// Partial agreement: the ground truth's emotion and another.
    public var partial: String
    public var verticalLine: String
    public var ellipsis: String
    public var pointer: String

    public static let unicode = Glyphs(captioned: "✓", rated: "★", disagrees: "≠", partial: "≈", verticalLine: "│", ellipsis: "…", pointer: "▸")
    public static let ascii = Glyphs(captioned: "c", rated: "r", disagrees: "!", partial: "~", verticalLine: "|", ellipsis: "~", pointer: ">")
}
