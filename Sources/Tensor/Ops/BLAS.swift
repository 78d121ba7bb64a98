import CBLAS

/// Every OpenBLAS call goes through here, and OpenBLAS runs single-threaded: facecap's own kernels
/// already keep every core busy, and OpenBLAS's idle workers spin on sched_yield for a while after
/// each threaded call. Beside the BF16 kernels that spinning took about a fifth of the ViT-g
/// encoder's CPU samples on two cores (perf, OPT-2.7B config), for attention products that are
/// small. Big products are split by output columns over the same cores as the kernels instead.
public enum BLAS {
    private static let singleThreaded: Void = { openblas_set_num_threads(1) }()

    /// OpenBLAS's own thread count once facecap has touched it (1).
    public static var openBLASThreads: Int {
        _ = singleThreaded
        return Int(openblas_get_num_threads())
    }

    /// Below this many multiply-adds one core does the product (waking others costs more).
    static let parallelThreshold = 1 << 22

    /// C[rows x n] = A[rows x k] B^T + beta C, B stored [n x k] (PyTorch's Linear layout); the cores
    /// take column ranges of C. Each element is one OpenBLAS dot over k however C is split.
    public static func sgemmTransposedB(rows: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                        b: UnsafePointer<Float>, ldb: Int, beta: Float,
                                        c: UnsafeMutablePointer<Float>, ldc: Int) {
        _ = singleThreaded
        guard rows * n * k >= parallelThreshold, ProcessorCount.value > 1 else {
            return cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(k),
                               1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
        Parallel.ranges(n, granule: 16) { range in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(range.count), Int32(k),
                        1, a, Int32(lda), b + range.lowerBound * ldb, Int32(ldb), beta, c + range.lowerBound, Int32(ldc))
        }
    }

    /// One single-threaded sgemm (attention's per-head products).
    public static func sgemm(transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        _ = singleThreaded
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }

    /// y = A x (or A^T x), single-threaded (decoding's per-head attention over the KV cache).
    public static func sgemv(transpose: Bool, rows: Int, columns: Int, a: UnsafePointer<Float>, lda: Int,
                             x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        _ = singleThreaded
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), 1, a, Int32(lda),
                    x, 1, 0, y, 1)
    }
}
