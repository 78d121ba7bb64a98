import CKernels
import Dispatch

/// Splits `count` items into contiguous ranges (a multiple of `granule` long, except the last) and
/// runs `body` on each, in parallel when there is more than one. Four ranges per core, taken by
/// whichever core is free: on a shared machine one core is often late, and with one range per core
/// everything would wait for it.
enum Parallel {
    static let rangesPerCore = 4

    static func ranges(_ count: Int, granule: Int = 1, body: (Range<Int>) -> Void) {
        indexedRanges(count, granule: granule) { _, range in body(range) }
    }

    /// Most ranges `indexedRanges` makes.
    static var maxRanges: Int { ProcessorCount.value == 1 ? 1 : ProcessorCount.value * rangesPerCore }

    /// As `ranges`, with each range's index (below `limit`, at most `maxRanges`): a range may use
    /// scratch of its own.
    static func indexedRanges(_ count: Int, granule: Int = 1, limit: Int = .max, body: (Int, Range<Int>) -> Void) {
        let chunks = max(1, min(maxRanges, limit, count / max(granule, 1)))
        if chunks == 1 { return body(0, 0..<count) }
        let per = (count / chunks + granule - 1) / granule * granule
        func run(_ chunk: Int) {
            let start = min(count, chunk * per), end = chunk == chunks - 1 ? count : min(count, start + per)
            if start < end { body(chunk, start..<end) }
        }
        // The pool's threads (CKernels/pool.c) wait spinning between calls; when they are taken (a
        // call from another thread, or nested) libdispatch runs the chunks instead.
        let ran = withoutActuallyEscaping(run) { run in
            withUnsafePointer(to: run) { item in
                fc_pool_run(Int32(ProcessorCount.value), Int32(chunks), { context, index in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(index))
                }, UnsafeMutableRawPointer(mutating: item))
            }
        }
        if ran == 0 { DispatchQueue.concurrentPerform(iterations: chunks, execute: run) }
    }
}
