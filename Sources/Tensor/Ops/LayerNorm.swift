import CKernels

/// LayerNorm over the last dimension, computed in Float32 with a two-pass mean/variance
/// (as PyTorch does) so results track transformers to ~1e-6; one row at a time in `fc_layernorm`.
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
        gamma.withOptionalPointer { g in
            beta.withOptionalPointer { b in
                for r in rows { fc_layernorm(x + r * width, y + r * width, width, g, b, eps) }
            }
        }
    }
}
