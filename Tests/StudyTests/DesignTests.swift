import XCTest
@testable import Study

final class DesignTests: XCTestCase {
    /// The first outputs of splitmix64.c (Vigna, https://prng.di.unimi.it/splitmix64.c) seeded with 0,
    /// as printed by an independent Python transcription of that C file.
    func testSplitMix64MatchesReferenceSequence() {
        var generator = SplitMix64(seed: 0)
        XCTAssertEqual(generator.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(generator.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(generator.next(), 0x06C4_5D18_8009_454F)
    }

    func testBelowStaysInRangeAndCoversIt() {
        var generator = SplitMix64(seed: 42)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[generator.below(7)] += 1 }
        for count in counts { XCTAssertEqual(Double(count), 10_000, accuracy: 500) }
    }

    func testSampleIsReproducibleAndIgnoresListingOrder() throws {
        let ids = (0..<100).map { "img\($0).png" }
        let first = try StudySampler.sample(imageIDs: ids, count: 10, seed: 7)
        XCTAssertEqual(first, try StudySampler.sample(imageIDs: ids.reversed(), count: 10, seed: 7))
        XCTAssertEqual(first, try StudySampler.sample(imageIDs: ids.shuffled(), count: 10, seed: 7))
        XCTAssertNotEqual(first, try StudySampler.sample(imageIDs: ids, count: 10, seed: 8))
        XCTAssertEqual(Set(first).count, 10)
        XCTAssertTrue(Set(first).isSubset(of: ids))
        // Not simply the first ten in sorted order.
        XCTAssertNotEqual(Set(first), Set(ids.sorted().prefix(10)))
    }

    func testSampleIsUniformOverSeeds() throws {
        let ids = (0..<20).map { String(format: "f%02d", $0) }
        var hits = [String: Int]()
        for seed in 0..<4000 {
            for id in try StudySampler.sample(imageIDs: ids, count: 5, seed: UInt64(seed)) {
                hits[id, default: 0] += 1
            }
        }
        // Each id is drawn with probability 5/20 = 1/4: 1000 of 4000, sd about 27.
        for id in ids { XCTAssertEqual(Double(hits[id] ?? 0), 1000, accuracy: 130, id) }
    }

    func testSampleRejectsBadCounts() {
        XCTAssertThrowsError(try StudySampler.sample(imageIDs: ["a", "b"], count: 3, seed: 1))
        XCTAssertThrowsError(try StudySampler.sample(imageIDs: ["a", "b"], count: 0, seed: 1))
        XCTAssertThrowsError(try StudySampler.sample(imageIDs: ["a", "a"], count: 1, seed: 1))
        XCTAssertEqual(try StudySampler.sample(imageIDs: ["b", "a"], count: 2, seed: 1).sorted(), ["a", "b"])
    }

    func testBlindOrderIsAPermutationStablePerRaterAndVaries() {
        var distinctOrders = Set<[Int]>()
        var slotAtA = [Int](repeating: 0, count: 4)
        for image in 0..<200 {
            let alice = Blinding.order(seed: 99, rater: "alice", imageID: "img\(image)", modelCount: 4)
            XCTAssertEqual(alice.sorted(), [0, 1, 2, 3], "every model is shown exactly once")
            XCTAssertEqual(alice, Blinding.order(seed: 99, rater: "alice", imageID: "img\(image)", modelCount: 4))
            distinctOrders.insert(alice)
            slotAtA[alice[0]] += 1
        }
        XCTAssertGreaterThan(distinctOrders.count, 15, "orders vary between images (24 possible)")
        for count in slotAtA { XCTAssertEqual(Double(count), 50, accuracy: 25) }

        let images = (0..<50).map { "img\($0)" }
        let alice = images.map { Blinding.order(seed: 99, rater: "alice", imageID: $0, modelCount: 3) }
        let bob = images.map { Blinding.order(seed: 99, rater: "bob", imageID: $0, modelCount: 3) }
        let otherSeed = images.map { Blinding.order(seed: 100, rater: "alice", imageID: $0, modelCount: 3) }
        XCTAssertGreaterThan(zip(alice, bob).filter { $0 != $1 }.count, 20, "raters see different orders")
        XCTAssertGreaterThan(zip(alice, otherSeed).filter { $0 != $1 }.count, 20, "seed changes orders")
        // The hash separates fields: ("ab", "c") is not ("a", "bc").
        let joined = (0..<20).map { Blinding.order(seed: UInt64($0), rater: "ab", imageID: "c", modelCount: 5) }
        let split = (0..<20).map { Blinding.order(seed: UInt64($0), rater: "a", imageID: "bc", modelCount: 5) }
        XCTAssertNotEqual(joined, split)
    }

    func testLetters() {
        XCTAssertEqual((0..<3).map(Blinding.letter), ["A", "B", "C"])
        XCTAssertEqual(Blinding.letter(25), "Z")
    }

    func testExtremeCandidatesAndValidation() throws {
        let candidates = FaceSubmission.extremeCandidates(completeness: [7, 9, 9, 2])
        XCTAssertEqual(candidates.most, [1, 2])
        XCTAssertEqual(candidates.least, [3])

        let scores = [7, 9, 9, 2].map { CaptionScore(correctness: 5, completeness: $0) }
        var submission = FaceSubmission(position: 0, scores: scores)
        XCTAssertThrowsError(try submission.validated(modelCount: 4)) { error in
            XCTAssertEqual(error as? StudyError, .tieNeedsChoice(extreme: .most, candidates: [1, 2]))
        }
        submission.mostComplete = 0
        XCTAssertThrowsError(try submission.validated(modelCount: 4), "A is not among the maxima")
        submission.mostComplete = 2
        XCTAssertEqual(try submission.validated(modelCount: 4).most, 2)
        XCTAssertEqual(try submission.validated(modelCount: 4).least, 3)
        XCTAssertThrowsError(try submission.validated(modelCount: 3), "wrong number of captions")

        var outOfRange = submission
        outOfRange.scores[0].correctness = 11
        XCTAssertThrowsError(try outOfRange.validated(modelCount: 4))
        outOfRange.scores[0].correctness = 0
        XCTAssertThrowsError(try outOfRange.validated(modelCount: 4))

        let allEqual = FaceSubmission(position: 0, scores: Array(repeating: scores[0], count: 3),
                                      mostComplete: 1, leastComplete: 1)
        XCTAssertThrowsError(try allEqual.validated(modelCount: 3), "one caption cannot be both")
        var fixed = allEqual
        fixed.leastComplete = 0
        XCTAssertEqual(try fixed.validated(modelCount: 3).most, 1)
    }
}
