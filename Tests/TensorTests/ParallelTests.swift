import Dispatch
import Foundation
import XCTest
@testable import Tensor

/// Parallel's ranges run on the pool's spinning threads (CKernels/pool.c), or on libdispatch when
/// the pool is taken: either way every item runs exactly once, before the call returns.
final class ParallelTests: XCTestCase {
    /// Each index of `count` covered once, by ranges that are multiples of `granule` but the last.
    func coverage(_ count: Int, granule: Int) -> [Int] {
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: max(count, 1))
        defer { hits.deallocate() }
        hits.initialize(repeating: 0, count: max(count, 1))
        Parallel.ranges(count, granule: granule) { range in
            for i in range { hits[i] += 1 }
        }
        return Array(UnsafeBufferPointer(start: hits, count: count))
    }

    func testEveryItemRunsOnceAtManySizes() {
        for count in [0, 1, 2, 3, 7, 8, 9, 64, 1000, 10_241] {
            for granule in [1, 6, 16] {
                XCTAssertEqual(coverage(count, granule: granule), [Int](repeating: 1, count: count), "\(count) / \(granule)")
            }
        }
    }

    /// After the workers have gone to sleep (they spin ~2 ms), a call wakes them and still completes.
    func testCallsAfterTheWorkersSleep() {
        for _ in 0..<5 {
            usleep(10_000)
            XCTAssertEqual(coverage(100, granule: 1), [Int](repeating: 1, count: 100))
        }
    }

    /// A call inside a call, and calls from several threads at once, find the pool taken and run on
    /// libdispatch: all complete, with every item once.
    func testNestedAndConcurrentCallsComplete() {
        let outer = 8, inner = 50
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: outer * inner)
        defer { hits.deallocate() }
        hits.initialize(repeating: 0, count: outer * inner)
        Parallel.ranges(outer) { range in
            for o in range {
                Parallel.ranges(inner) { innerRange in
                    for i in innerRange { hits[o * inner + i] += 1 }
                }
            }
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: hits, count: outer * inner)), [Int](repeating: 1, count: outer * inner))

        let callers = 4, rounds = 200
        let results = UnsafeMutablePointer<Bool>.allocate(capacity: callers * rounds)
        defer { results.deallocate() }
        results.initialize(repeating: false, count: callers * rounds)
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for round in 0..<rounds {
                results[caller * rounds + round] = coverage(37 + round % 5, granule: 2) == [Int](repeating: 1, count: 37 + round % 5)
            }
        }
        XCTAssertTrue(UnsafeBufferPointer(start: results, count: callers * rounds).allSatisfy { $0 })
    }
}
