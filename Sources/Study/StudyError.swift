/// Everything the study layer reports to a user, each on one line.
///
/// The Study module sits beside Tensor, not above it, so it has its own error type rather than
/// `InputError`; the executable prints `description` after "facecap: " the same way.
public enum StudyError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Bad input the user can fix: an option, a name, a score out of range.
    case invalidInput(String)
    case noSuchStudy(String)
    case studyExists(String)
    /// The study was finished; it takes no more ratings.
    case studyClosed(String)
    /// Two or more captions tie for most (or least) complete and the rater must pick one of them.
    case tieNeedsChoice(extreme: Extreme, candidates: [Int])
    /// The database could not be read or written (disk full, permissions, corruption, lock timeout).
    case storage(path: String, action: String, reason: String)

    public enum Extreme: String, Sendable { case most, least }

    public var description: String {
        switch self {
        case .invalidInput(let problem):
            return problem
        case .noSuchStudy(let name):
            return "no study named \"\(name)\" (see `facecap study list`)"
        case .studyExists(let name):
            return "a study named \"\(name)\" already exists"
        case .studyClosed(let name):
            return "study \"\(name)\" is finished and takes no more ratings"
        case .tieNeedsChoice(let extreme, let candidates):
            let letters = candidates.map(Blinding.letter).joined(separator: ", ")
            return "captions \(letters) tie for \(extreme.rawValue) complete: pick one"
        case .storage(let path, let action, let reason):
            return "\(path): could not \(action): \(reason)"
        }
    }
}
