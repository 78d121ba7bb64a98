// study-stress: a test helper, not part of facecap. It plays one rater in its own process so the
// StudyTests can run several at once against one database, or kill one mid-stream with SIGKILL.
//
//   study-stress DB STUDY RATER FIRST COUNT [--resubmit]
//
// Submits faces FIRST ..< FIRST+COUNT with scores from `StressScores` (the tests recompute them) and
// prints "committed POSITION REVISION" after each commit returns. With --resubmit every face is
// submitted twice, the second time with other scores, to exercise the atomic replacement.
import Foundation
import Study

func say(_ line: String, to handle: FileHandle = .standardOutput) {
    // Unbuffered: a line is out before the next commit starts, so a killed child has reported
    // every commit it printed, and nothing it did not make.
    handle.write(Data((line + "\n").utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 5, let first = Int(arguments[3]), let count = Int(arguments[4]) else {
    say("usage: study-stress DB STUDY RATER FIRST COUNT [--resubmit]", to: .standardError)
    exit(2)
}
let (path, studyName, rater) = (arguments[0], arguments[1], arguments[2])
let resubmit = arguments.dropFirst(5).contains("--resubmit")

do {
    let session = try StudyStore(path: path).openRaterSession(study: studyName, rater: rater)
    let modelCount = session.study.models.count
    for position in first..<(first + count) {
        for revision in 1...(resubmit ? 2 : 1) {
            let bySlot = StressScores.scores(rater: rater, position: position, revision: revision,
                                             modelCount: modelCount)
            let order = try session.blindOrder(position: position)
            try session.submit(FaceSubmission(position: position, scores: order.map { bySlot[$0] }))
            say("committed \(position) \(revision)")
        }
    }
} catch {
    say("study-stress: \(error)", to: .standardError)
    exit(1)
}

/// The scores this helper submits; Tests/StudyTests/ConcurrencyTests.swift recomputes them with its own
/// copy of the formula. Completeness rises with the slot, so there is never a tie to resolve;
/// correctness depends on rater, face and revision, so a lost or crossed write shows as a wrong number.
enum StressScores {
    static func scores(rater: String, position: Int, revision: Int, modelCount: Int) -> [CaptionScore] {
        let raterNumber = rater.utf8.reduce(0) { ($0 * 31 + Int($1)) % 1009 }
        return (0..<modelCount).map { slot in
            CaptionScore(correctness: (raterNumber + position * 7 + slot * 3 + revision * 5) % 10 + 1,
                         completeness: min(10, slot + 1 + position % 3))
        }
    }
}
