import Faces

/// The visible list: dataset order, narrowed by the filter and the `/` search. Pure; the captions
/// and disagreement marks known so far are passed in as closures over dataset indices.
public enum FaceListFilter {
    public static func visible(items: [FaceItem], filter: FaceFilter, search: String,
                               captions: (Int) -> [String], disagrees: (Int) -> Bool,
                               partlyAgrees: (Int) -> Bool = { _ in false }) -> [Int] {
        let needle = search.lowercased()
        return items.indices.filter { i in
            matches(items[i], index: i, filter: filter, captions: captions, disagrees: disagrees, partlyAgrees: partlyAgrees)
                && (needle.isEmpty || items[i].id.lowercased().contains(needle)
                    || captions(i).contains { $0.lowercased().contains(needle) })
        }
    }

    static func matches(_ item: FaceItem, index: Int, filter: FaceFilter,
                        captions: (Int) -> [String], disagrees: (Int) -> Bool, partlyAgrees: (Int) -> Bool) -> Bool {
        switch filter {
        case .all:
            return true
        case let .emotion(emotion):
            return item.labels?.emotion == emotion
        case let .actionUnit(number):
            return item.labels?.actionUnits.contains { $0.number == number } ?? false
        case .disagrees:
            return disagrees(index)
        case .partlyAgrees:
            return partlyAgrees(index)
        case let .captionText(text):
            let needle = text.lowercased()
            return captions(index).contains { $0.lowercased().contains(needle) }
        }
    }

    /// The filter menu's choices for a dataset: every emotion and AU that occurs, then the caption filters.
    public static func choices(for items: [FaceItem]) -> [FaceFilter] {
        let emotions = Set(items.compactMap { $0.labels?.emotion }).sorted()
        let units = Set(items.flatMap { $0.labels?.actionUnits.map(\.number) ?? [] }).sorted()
        return [.all] + emotions.map { .emotion($0) } + units.map { .actionUnit($0) } + [.disagrees, .partlyAgrees, .captionText("")]
    }
}
