import Foundation

/// ISO 8601 in UTC with milliseconds ("2026-05-01T12:34:56.789Z"): sorts as text in SQLite and
/// is read directly by pandas (`pd.to_datetime`) and R (`as.POSIXct(..., format=...)`, lubridate).
enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func string(_ date: Date) -> String { date.formatted(style) }

    static func date(_ text: String) throws -> Date {
        do {
            return try style.parse(text)
        } catch {
            throw StudyError.invalidInput("malformed timestamp \"\(text)\" in the study database")
        }
    }
}
