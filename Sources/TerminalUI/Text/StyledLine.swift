/// A run of text drawn in one role.
public struct StyledRun: Equatable, Sendable {
    public var text: String
    public var role: TextRole

    public init(_ text: String, _ role: TextRole) {
        self.text = text
        self.role = role
    }
}

/// One screen line made of runs.
public typealias StyledLine = [StyledRun]

extension Array where Element == StyledRun {
    public var plainText: String { map(\.text).joined() }
}
