import Foundation

/// The figures of the paper's Table 5, per model, overall and by ground-truth emotion, with the
/// inter-rater agreement. Skipped faces count nowhere except in `skipped`.
public struct StudyReport: Codable, Equatable, Sendable {
    public struct Share: Codable, Equatable, Sendable {
        public var count: Int
        public var of: Int
        /// Nil when `of` is 0.
        public var fraction: Double?
    }

    public struct ModelFigures: Codable, Equatable, Sendable {
        /// The model's name once the study is revealed, "model-N" before.
        public var model: String
        /// 1-based, in the order the models were given when the study was created.
        public var modelNumber: Int
        public var ratings: Int
        public var correctness: MeanInterval?
        public var completeness: MeanInterval?
        /// Faces (rated answers) where this model was chosen most / least complete.
        public var mostComplete: Share
        public var leastComplete: Share
    }

    public struct EmotionGroup: Codable, Equatable, Sendable {
        public var emotion: String
        public var answers: Int
        public var models: [ModelFigures]
    }

    /// Krippendorff's alpha over units = (face, model), coders = raters. Nil when undefined.
    public struct Agreement: Codable, Equatable, Sendable {
        public var metric: KrippendorffAlpha.Metric
        public var correctness: Double?
        public var completeness: Double?
        /// (face, model) units rated by at least two raters.
        public var pairableUnits: Int
    }

    public var study: String
    public var revealed: Bool
    public var faces: Int
    public var raters: Int
    /// Rated (not skipped) answers, one per (rater, face).
    public var answers: Int
    public var skipped: Int
    public var models: [ModelFigures]
    /// Only when at least one face has a ground-truth emotion; unlabelled faces form "(none)".
    public var byEmotion: [EmotionGroup]
    public var agreement: Agreement

    static let unlabelled = "(none)"
    /// Correctness and completeness are scored 1-10; means and their intervals stay inside.
    static let ratingScale: ClosedRange<Double> = 1...10

    static func compute(study: Study, items: [StoredItem], answers allAnswers: [StoredAnswer]) -> StudyReport {
        let rated = allAnswers.filter { !$0.isSkipped }
        let emotionAt = Dictionary(uniqueKeysWithValues: items.map { ($0.position, $0.groundTruthEmotion) })

        var groups: [EmotionGroup] = []
        if items.contains(where: { $0.groundTruthEmotion != nil }) {
            let byEmotion = Dictionary(grouping: rated) { emotionAt[$0.position].flatMap { $0 } ?? unlabelled }
            groups = byEmotion.keys.sorted().map { emotion in
                let answers = byEmotion[emotion]!
                return EmotionGroup(emotion: emotion, answers: answers.count,
                                    models: figures(study: study, answers: answers))
            }
        }

        func alpha(_ score: (CaptionScore) -> Int) -> Double? {
            KrippendorffAlpha.compute(units: units(rated, study: study, score), metric: .interval)
        }
        let pairable = units(rated, study: study, \.correctness).filter { $0.count >= 2 }.count

        return StudyReport(
            study: study.name, revealed: study.revealed, faces: study.itemCount,
            raters: Set(allAnswers.map(\.rater)).count, answers: rated.count,
            skipped: allAnswers.count - rated.count, models: figures(study: study, answers: rated),
            byEmotion: groups,
            agreement: Agreement(metric: .interval, correctness: alpha(\.correctness),
                                 completeness: alpha(\.completeness), pairableUnits: pairable))
    }

    private static func figures(study: Study, answers: [StoredAnswer]) -> [ModelFigures] {
        study.models.indices.map { slot in
            let scores = answers.compactMap { $0.scores[slot] }
            let most = answers.filter { $0.mostComplete == slot }.count
            let least = answers.filter { $0.leastComplete == slot }.count
            return ModelFigures(
                model: study.displayName(slot: slot), modelNumber: slot + 1, ratings: scores.count,
                correctness: MeanInterval.of(scores.map { Double($0.correctness) }, scale: ratingScale),
                completeness: MeanInterval.of(scores.map { Double($0.completeness) }, scale: ratingScale),
                mostComplete: share(most, of: answers.count), leastComplete: share(least, of: answers.count))
        }
    }

    private static func share(_ count: Int, of total: Int) -> Share {
        Share(count: count, of: total, fraction: total == 0 ? nil : Double(count) / Double(total))
    }

    /// One unit per (face, model slot), holding each rater's score for it.
    private static func units(_ answers: [StoredAnswer], study: Study,
                              _ score: (CaptionScore) -> Int) -> [[Double]] {
        var units: [[Int]: [Double]] = [:]
        for answer in answers {
            for (slot, value) in answer.scores {
                units[[answer.position, slot], default: []].append(Double(score(value)))
            }
        }
        return units.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { units[$0]! }
    }
}

extension StudyStore {
    public func report(study name: String) throws -> StudyReport {
        try read("build the report of study \"\(name)\"") { db in
            let study = try Self.loadStudy(db, name: name)
            return StudyReport.compute(study: study, items: try StoredItem.fetchAll(db, studyID: study.id),
                                       answers: try StoredAnswer.fetchAll(db, studyID: study.id))
        }
    }
}
