import Faces

/// Everything the explorer asks of other modules, as closures with harmless defaults.
public struct ExplorerServices: Sendable {
    public var cache: CaptionCacheAccess
    /// Finds emotion words and facial-action phrases in a caption and compares with ground truth
    /// (wire Faces' `CaptionAnalysis` here). Called on worker threads.
    public var analyzer: CaptionAnalyzer
    /// FACS name of an action unit ("lip corner puller" for 12), for ground truth and the AU filter.
    public var actionUnitName: @Sendable (Int) -> String?
    /// Whether a face already has ratings in the study database (the list's "rated" mark).
    public var isRated: @Sendable (FaceItem) -> Bool

    public init(cache: CaptionCacheAccess = .disabled,
                analyzer: @escaping CaptionAnalyzer = { _, _ in CaptionHighlights() },
                actionUnitName: @escaping @Sendable (Int) -> String? = { _ in nil },
                isRated: @escaping @Sendable (FaceItem) -> Bool = { _ in false }) {
        self.cache = cache
        self.analyzer = analyzer
        self.actionUnitName = actionUnitName
        self.isRated = isRated
    }
}
