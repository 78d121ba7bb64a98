/// The one error users see for bad input: a file (or option) and what is wrong with it, on one line.
///
/// Every layer throws this for problems the user can fix (a corrupt PNG, a malformed safetensors
/// header, a config that disagrees with its weights) so the executable can print
/// `facecap: <path>: <problem>` and exit non-zero instead of crashing.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let problem: String

    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
}
