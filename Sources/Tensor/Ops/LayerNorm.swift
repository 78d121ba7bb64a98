/// LayerNorm over the last dimension, computed in Float32 with a two-pass mean/variance
/// (as PyTorch does) so results track transformers to ~1e-6.
public struct LayerNorm: Sendable {
    public let gamma: [Float]?
    public let beta: [Float]?
    public let eps: Float
    public let width: Int

    public init(weight: TensorView?, bias: TensorView?, width: Int, eps: Float) {
        gamma = weight?.floats()
        beta = bias?.floats()
        self.eps = eps
        self.width = width
    }

    /// Normalizes `rows` rows of `x` into `y` (may be the same memory).
    /// Row by row, so the cores split many rows (ViT tokens, prefill) with unchanged results.
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        guard rows > 1, rows * width >= Activation.parallelThreshold, ProcessorCount.value > 1 else {
            return apply(x, rows: 0..<rows, into: y)
        }
        Parallel.ranges(rows) { range in apply(x, rows: range, into: y) }
    }

    private func apply(_ x: UnsafePointer<Float>, rows: Range<Int>, into y: UnsafeMutablePointer<Float>) {
        let n = width
        for r in rows {
            let src = x + r * n
            let dst = y + r * n
            var mean: Float = 0
            for i in 0..<n { mean += src[i] }
            mean /= Float(n)
            var variance: Float = 0
            for i in 0..<n { let d = src[i] - mean; variance += d * d }
            variance /= Float(n)
            let inv = 1 / (variance + eps).squareRoot()
            for i in 0..<n { dst[i] = (src[i] - mean) * inv }
            if let gamma { for i in 0..<n { dst[i] *= gamma[i] } }
            if let beta { for i in 0..<n { dst[i] += beta[i] } }
        }
    }
}
