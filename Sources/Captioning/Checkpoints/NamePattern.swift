/// A tensor-name pattern with at most one `*` standing for a layer number, matched on whole dotted
/// components: "a.blocks.*.norm1" matches "a.blocks.3.norm1" and "a.blocks.3.norm1.weight"
/// (the rest, ".weight", is returned), not "a.blocks.3.norm10".
struct NamePattern: ExpressibleByStringLiteral, CustomStringConvertible {
    let text: String
    init(stringLiteral text: String) { self.text = text }
    init(_ text: String) { self.text = text }
    var description: String { text }

    func match(_ name: String) -> (number: String?, rest: String)? {
        let parts = text.split(separator: "*", maxSplits: 1, omittingEmptySubsequences: false)
        guard name.hasPrefix(parts[0]) else { return nil }
        var rest = name.dropFirst(parts[0].count)
        var number: String?
        if parts.count == 2 {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return nil }
            number = String(digits)
            rest = rest.dropFirst(digits.count)
            guard rest.hasPrefix(parts[1]) else { return nil }
            rest = rest.dropFirst(parts[1].count)
        }
        guard rest.isEmpty || rest.hasPrefix(".") else { return nil }
        return (number, String(rest))
    }

    /// The name with `*` replaced by `number`.
    func filled(_ number: String?) -> String {
        guard let number else { return text }
        return text.replacingOccurrences(of: "*", with: number)
    }
}
