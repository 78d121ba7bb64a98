import CaptionStore
import Faces
import Foundation
import Tensor

/// Everything the explorer asks of other modules, as closures with harmless defaults.
public struct ExplorerServices: Sendable {
    /// The one lookup-or-run for cached captions, shared with `caption --dataset` and `study create`
    /// (no cache: every visit runs the models). Called on worker threads only; it may block on disk.
    public var captioning: CachedCaptioning
    /// Finds emotion words and facial-action phrases in a caption and compares with ground truth
    /// (wire Faces' `CaptionAnalysis` here). Called on worker threads.
    public var analyzer: CaptionAnalyzer
    /// FACS name of an action unit ("lip corner puller" for 12), for ground truth and the AU filter.
    public var actionUnitName: @Sendable (Int) -> String?
    /// Whether a face already has ratings in the study database (the list's "rated" mark).
    public var isRated: @Sendable (FaceItem) -> Bool

    public init(captioning: CachedCaptioning = .uncached,
                analyzer: @escaping CaptionAnalyzer = { _, _ in CaptionHighlights() },
                actionUnitName: @escaping @Sendable (Int) -> String? = { _ in nil },
                isRated: @escaping @Sendable (FaceItem) -> Bool = { _ in false }) {
        self.captioning = captioning
        self.analyzer = analyzer
        self.actionUnitName = actionUnitName
        self.isRated = isRated
    }
}

extension CachedCaptioning {
    /// No cache; the explorer hands decoded images in itself, so no file decoder is needed.
    public static var uncached: CachedCaptioning {
        CachedCaptioning(cache: nil) { url in throw InputError(url.path, "no image decoder wired") }
    }
}
