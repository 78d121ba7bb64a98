/// One row of a screen's key list, after lazygit's `Binding{Key, Handler, Description}`: the keys it
/// binds, what each gives, and how the help screen and the README name them. A screen's key map,
/// its help and the README's table are all read from one `[KeyBinding]`, so they cannot drift apart.
public struct KeyBinding<Action: Sendable>: Sendable {
    /// The keys as the README writes them ("`j` / `k`, arrows"); the help screen drops the backticks.
    public let keys: String
    public let description: String
    /// Every key this row binds, with what it does.
    public let actions: [(key: KeyInput, action: Action)]
    /// Mouse clicks carry a position, so they bind through a function rather than a fixed key.
    public let click: (@Sendable (_ x: Int, _ y: Int) -> Action)?
    /// A short word for the status bar's hints ("move"), when the row earns a place there.
    public let hint: String?

    public init(_ keys: String, _ description: String, hint: String? = nil, _ actions: [(KeyInput, Action)]) {
        self.keys = keys
        self.description = description
        self.actions = actions.map { (key: $0.0, action: $0.1) }
        click = nil
        self.hint = hint
    }

    public init(_ keys: String, _ description: String, click: @escaping @Sendable (Int, Int) -> Action) {
        self.keys = keys
        self.description = description
        actions = []
        self.click = click
        hint = nil
    }

    /// The keys as plain text, for the help screen and the status bar.
    public var plainKeys: String { keys.replacingOccurrences(of: "`", with: "") }
}

extension Array {
    /// What `key` does on a screen with these bindings; the first row that binds it wins.
    public func action<Action>(for key: KeyInput) -> Action? where Element == KeyBinding<Action> {
        if case let .click(x, y) = key { return lazy.compactMap(\.click).first?(x, y) }
        for binding in self {
            if let hit = binding.actions.first(where: { $0.key == key }) { return hit.action }
        }
        return nil
    }

    /// The README's key table for these bindings: `| key | <heading> |`, one row per binding.
    public func markdownTable<Action>(heading: String) -> String where Element == KeyBinding<Action> {
        (["| key | \(heading) |", "|---|---|"] + map { "| \($0.keys) | \($0.description) |" }).joined(separator: "\n")
    }
}
