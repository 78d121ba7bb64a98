import Study
import TerminalUI

/// What the rating screen needs from the study store: one rater's view of one study. The executable
/// conforms `Study.RaterSession` to it; tests use an in-memory fake that can fail like a full disk.
///
/// Every call may throw (a `StudyError` in practice); the screen shows the error and keeps the
/// rater's input, so nothing here may be assumed to succeed.
public protocol RatingBackend: AnyObject {
    var studyName: String { get }
    var rater: String { get }
    /// The study's text for raters, shown before the first face.
    var instructions: String { get }
    var faceCount: Int { get }
    /// First face (0-based) this rater has neither rated nor skipped; nil when all are done.
    func resumePosition() throws -> Int?
    func face(at position: Int) throws -> FaceToRate
    /// Commits the answer before returning.
    func submit(_ submission: FaceSubmission) throws -> RatingProgress
    func skip(position: Int, reason: String) throws -> RatingProgress
    func progress() throws -> RatingProgress
}
