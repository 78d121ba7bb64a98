import Foundation
import XCTest
@testable import Tensor

/// OpenBLAS runs single-threaded and big products are split by output columns over the cores: the
/// split product must equal one whole sgemm, element for element, with and without beta and strides.
final class BLASTests: XCTestCase {
    func testSplitProductEqualsOneSgemmAndOpenBLASStaysSingleThreaded() {
        var state: UInt64 = 7
        func next() -> Float { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Float(state % 2001) / 1000 - 1 }
        let rows = 33, n = 1003, k = 301, lda = 305, ldc = 1010
        XCTAssertGreaterThanOrEqual(rows * n * k, BLAS.parallelThreshold, "big enough to be split")
        let a = (0..<(rows * lda)).map { _ in next() }, b = (0..<(n * k)).map { _ in next() }
        let c0 = (0..<(rows * ldc)).map { _ in next() }
        for beta: Float in [0, 1] {
            var split = c0, whole = c0
            a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
                split.withUnsafeMutableBufferPointer { c in
                    BLAS.sgemmTransposedB(rows: rows, n: n, k: k, a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: k,
                                          beta: beta, c: c.baseAddress!, ldc: ldc)
                }
                whole.withUnsafeMutableBufferPointer { c in
                    // One call over all columns: the unsplit product.
                    for r in 0..<rows { for o in 0..<n { c[r * ldc + o] *= beta } }
                    var product = [Float](repeating: 0, count: rows * ldc)
                    product.withUnsafeMutableBufferPointer { p in
                        BLAS.sgemm(transposeB: true, m: rows, n: n, k: k, alpha: 1, a: a.baseAddress!, lda: lda,
                                   b: b.baseAddress!, ldb: k, c: p.baseAddress!, ldc: ldc)
                    }
                    for r in 0..<rows { for o in 0..<n { c[r * ldc + o] += product[r * ldc + o] } }
                }
            } }
            var worst: Double = 0
            for r in 0..<rows { for o in 0..<n {
                var exact = Double(beta) * Double(c0[r * ldc + o])
                for i in 0..<k { exact += Double(a[r * lda + i]) * Double(b[o * k + i]) }
                worst = max(worst, abs(Double(split[r * ldc + o]) - exact))
                XCTAssertEqual(split[r * ldc + o], whole[r * ldc + o], accuracy: 1e-4, "beta \(beta) (\(r), \(o))")
            } }
            XCTAssertLessThan(worst, 1e-3, "beta \(beta): against a double-precision product")
            for r in 0..<rows { for o in n..<ldc { XCTAssertEqual(split[r * ldc + o], c0[r * ldc + o], "padding untouched") } }
        }
        XCTAssertEqual(BLAS.openBLASThreads, 1)
    }
}

/// facecap's one thread count follows the CPUs the process may use (taskset, cpusets, Slurm), capped
/// by FACECAP_THREADS when set (run it as `taskset -c 0 ...` or `FACECAP_THREADS=1 ...` to see both).
final class ProcessorCountTests: XCTestCase {
    func testThreadCountIsTheAffinityMaskFromProcSelfStatus() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
        var allowed = 0
        for part in line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces).split(separator: ",") {
            let ends = part.split(separator: "-").compactMap { Int($0) }
            allowed += ends.count == 2 ? ends[1] - ends[0] + 1 : 1
        }
        let cap = ProcessInfo.processInfo.environment["FACECAP_THREADS"].flatMap(Int.init) ?? Int.max
        XCTAssertEqual(ProcessorCount.value, min(allowed, max(1, cap)))
    }
}
