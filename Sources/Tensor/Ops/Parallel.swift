import Dispatch

/// Splits `count` items into one contiguous range per core (ranges a multiple of `granule` long,
/// except the last) and runs `body` on each, in parallel when there is more than one.
enum Parallel {
    static func ranges(_ count: Int, granule: Int = 1, body: (Range<Int>) -> Void) {
        let chunks = max(1, min(ProcessorCount.value, count / max(granule, 1)))
        if chunks == 1 { return body(0..<count) }
        let per = (count / chunks + granule - 1) / granule * granule
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = min(count, chunk * per), end = chunk == chunks - 1 ? count : min(count, start + per)
            if start < end { body(start..<end) }
        }
    }
}
