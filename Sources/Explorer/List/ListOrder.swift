import Captioning
import Foundation

/// `s`: the face list in dataset order, or its least certain captions first.
public enum ListOrder: CaseIterable, Sendable {
    case dataset
    /// By the lowest token probability of any model's caption of the face.
    case lowestConfidence
    /// By the mean token probability (over every model's caption).
    case meanConfidence

    public var label: String {
        switch self {
        case .dataset: return "dataset order"
        case .lowestConfidence: return "least sure word first"
        case .meanConfidence: return "least sure caption first"
        }
    }

    public var next: ListOrder { Self.allCases[(Self.allCases.firstIndex(of: self)! + 1) % Self.allCases.count] }

    /// The face's confidence under this order; nil when no caption of it has token log-probs.
    public func confidence(_ results: [CaptionResult]) -> Double? {
        let probabilities = results.flatMap { $0.tokenLogprobs.first ?? [] }.map { exp(Double($0)) }
        guard !probabilities.isEmpty else { return nil }
        switch self {
        case .dataset: return nil
        case .lowestConfidence: return probabilities.min()
        case .meanConfidence: return probabilities.reduce(0, +) / Double(probabilities.count)
        }
    }

    /// Stable sort of dataset indices: least confident first, faces without numbers last.
    public func sorted(_ items: [Int], results: (Int) -> [CaptionResult]) -> [Int] {
        guard self != .dataset else { return items }
        let keyed = items.enumerated().map { (position: $0.offset, item: $0.element, value: confidence(results($0.element))) }
        return keyed.sorted { a, b in
            switch (a.value, b.value) {
            case let (x?, y?): return x != y ? x < y : a.position < b.position
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a.position < b.position
            }
        }.map(\.item)
    }
}
