import Dispatch

/// Splits `count` items into contiguous ranges (a multiple of `granule` long, except the last) and
/// runs `body` on each, in parallel when there is more than one. Four ranges per core, taken by
/// whichever core is free: on a shared machine one core is often late, and with one range per core
/// everything would wait for it.
enum Parallel {
    static let rangesPerCore = 4

    static func ranges(_ count: Int, granule: Int = 1, body: (Range<Int>) -> Void) {
        let cores = ProcessorCount.value
        let chunks = cores == 1 ? 1 : max(1, min(cores * rangesPerCore, count / max(granule, 1)))
        if chunks == 1 { return body(0..<count) }
        let per = (count / chunks + granule - 1) / granule * granule
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = min(count, chunk * per), end = chunk == chunks - 1 ? count : min(count, start + per)
            if start < end { body(start..<end) }
        }
    }
}
