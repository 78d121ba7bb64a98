// Study: human rating studies of caption models (the protocol of the paper's Table 5).
// The rating screen and the CLI are built on this API; nothing here draws or parses arguments.
//
//   Design (pure, reproducible from the study seed; SplitMix64 because the system generator is unseedable)
//     StudySampler.sample(imageIDs: [String], count: Int, seed: UInt64) throws -> [String]
//         ids are sorted first, so listing order does not matter; result in presentation order
//     Blinding.order(seed:rater:imageID:modelCount:) -> [Int]   order[displayIndex] = model slot
//     Blinding.letter(_ displayIndex: Int) -> String            "A", "B", ... (at most 26 models)
//
//   Storage (SQLite through GRDB, WAL, synchronous=FULL, 10 s busy timeout + retries; one file may
//   hold many studies; migrations in Schema.swift)
//     let store = try StudyStore(path: "studies.sqlite")
//     try store.createStudy(name:datasetPath:instructions:seed:models: [ModelIdentity],
//                           items: [StudyItemDraft]) -> Study   caller has sampled and captioned
//     try store.studies() -> [Study];  try store.study(named:) -> Study
//     try store.reveal(study:)          show model names (study.revealed)
//     try store.finish(study:)          close to further ratings and reveal
//     try store.status(study:) -> [RaterProgress]               per rater: rated, skipped, total
//
//   Rating (what the rating screen drives; a session is bound to one rater id and can write only
//   that rater's answers; everything is in the rater's display order, model slots stay hidden)
//     let session = try store.openRaterSession(study: "pilot", rater: "alice")
//     try session.resumePosition() -> Int?                      first face not rated or skipped
//     try session.face(at: position) -> FaceToRate              letters, caption texts, progress,
//                                                               this rater's earlier answer (reopen)
//     FaceSubmission.extremeCandidates(completeness:)           ties the rater must break
//     try session.submit(FaceSubmission) -> RatingProgress      one transaction, committed on return;
//                                                               a re-submission replaces the answer
//                                                               and keeps the old one in history
//     try session.skip(position:reason:) -> RatingProgress;  try session.progress() ("37 / 505")
//
//   Reports and export
//     try store.report(study:) -> StudyReport                   per model: n, mean correctness and
//                                                               completeness with 95% t intervals,
//                                                               most/least complete shares; split by
//                                                               ground-truth emotion; Krippendorff's alpha
//     report.renderText() -> String (80 columns);  try report.renderJSON() -> String
//     try store.exportRows(study:) -> [ExportRow]               one per (rater, face, model)
//     StudyExport.csv(rows) (RFC 4180);  try StudyExport.json(rows) (one array of objects)
//
//   Statistics (no statistics package in the mirror, so written here and tested against tables)
//     StudentT.quantile(probability:degreesOfFreedom:), MeanInterval.of(_:confidence:),
//     KrippendorffAlpha.compute(units:metric:)
//
// Errors: `StudyError`, one line each (`description`); database failures throw `.storage`, never crash.
// Until a study is revealed, reports and exports name models "model-1", "model-2", ...
import Foundation

/// A model as frozen into a study: what it is called, and exactly which weights and settings made
/// its captions (so a later reader knows what was rated even after the model changes).
public struct ModelIdentity: Codable, Equatable, Sendable {
    public var name: String
    /// Free text chosen by the caller, e.g. "weights sha256:ab12..., greedy, max 60 tokens".
    public var identity: String

    public init(name: String, identity: String) {
        self.name = name
        self.identity = identity
    }
}

/// One image of a study as the caller hands it in: already sampled and captioned.
public struct StudyItemDraft: Equatable, Sendable {
    public var imageID: String
    /// The dataset's emotion label, when it has one; reports split by it.
    public var groundTruthEmotion: String?
    /// One caption per model, in the order of the study's `models`.
    public var captions: [String]

    public init(imageID: String, groundTruthEmotion: String? = nil, captions: [String]) {
        self.imageID = imageID
        self.groundTruthEmotion = groundTruthEmotion
        self.captions = captions
    }
}

/// A stored study. Items are addressed by `position` (0-based presentation order).
public struct Study: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var datasetPath: String
    public var instructions: String
    public var seed: UInt64
    public var models: [ModelIdentity]
    public var itemCount: Int
    /// Model names may be shown (to raters, in reports and exports).
    public var revealed: Bool
    /// Finished studies take no more ratings (and are revealed).
    public var finished: Bool
    public var createdAt: Date
    /// The only rater ids allowed to rate (`study create --raters`), sorted; empty = anyone.
    public var raters: [String] = []

    /// The name a screen or report may show for a model slot: its real name once revealed.
    public func displayName(slot: Int) -> String {
        revealed ? models[slot].name : "model-\(slot + 1)"
    }
}

/// "37 / 505": faces this rater has finished (rated or skipped) out of the study's faces.
public struct RatingProgress: Equatable, Sendable, CustomStringConvertible {
    public var finished: Int
    public var total: Int
    public var description: String { "\(finished) / \(total)" }
}

/// How far one rater has got.
public struct RaterProgress: Equatable, Sendable {
    public var rater: String
    public var rated: Int
    public var skipped: Int
    public var total: Int
    public var lastActivity: Date?
    public var progress: RatingProgress { RatingProgress(finished: rated + skipped, total: total) }
}
