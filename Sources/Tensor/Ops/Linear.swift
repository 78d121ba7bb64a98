import CBLAS

/// y = x W^T + b for a whole sequence of rows at once, W stored [out, in] as in PyTorch checkpoints.
///
/// F32 weights go straight to one `cblas_sgemm`. Half weights stay half in memory and are widened
/// block by block into a small scratch area just before their sgemm: the block (about 1 MB) stays in
/// cache, so a ViT-g + OPT-6.7B pair fits a 24 GB machine at the cost of one conversion pass.
public struct Linear: @unchecked Sendable {
    public let inFeatures: Int
    public let outFeatures: Int
    let weight: TensorView
    /// Set when the weight is F32 in its file, or was widened once at load (small models).
    let widened: FloatBuffer?
    let bias: [Float]?

    /// Bytes each weight occupies in memory (4 when F32 or widened at load, 2 when kept half).
    public var storedBytesPerWeight: Int { widened != nil ? 4 : weight.dtype.itemSize }

    /// Floats of scratch a half-precision Linear needs per call (0 for F32 weights).
    public var scratchCount: Int {
        widened == nil && weight.dtype != .f32 ? min(Linear.blockRows(inFeatures), outFeatures) * inFeatures : 0
    }

    public init(weight: TensorView, bias: TensorView?, widenHalf: Bool = false) {
        precondition(weight.shape.count == 2, "Linear weight must be 2-D")
        self.weight = weight
        outFeatures = weight.shape[0]
        inFeatures = weight.shape[1]
        self.bias = bias?.floats()
        if weight.dtype == .f32 {
            widened = nil
        } else if widenHalf {
            let buffer = FloatBuffer(count: weight.count, zeroed: false)
            weight.widen(from: 0, count: weight.count, into: buffer.pointer)
            widened = buffer
        } else {
            widened = nil
        }
    }

    /// Output rows of W widened per block: about 4M floats (16 MB) of scratch, at least 8 rows.
    /// Large blocks keep sgemm's packing overhead small for the ViT's 257-row products.
    static func blockRows(_ inFeatures: Int) -> Int { max(8, (1 << 22) / max(inFeatures, 1)) }

    /// Up to this many rows (decode steps, one per beam), half weights take the fused
    /// widen-and-multiply kernel instead of widen-then-sgemm.
    public static let matVecRows = 8

    /// `x` is [rows, inFeatures] (row stride `ldx`), `y` is [rows, outFeatures] (row stride `ldy`).
    /// When `accumulate` is true, y += x W^T + b (a residual add for free).
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
                      scratch: UnsafeMutablePointer<Float>?, ldx: Int? = nil, ldy: Int? = nil,
                      accumulate: Bool = false) {
        let lda = Int32(ldx ?? inFeatures)
        let ldc = ldy ?? outFeatures
        let beta: Float = accumulate ? 1 : 0
        if let full = widened?.pointer ?? (weight.dtype == .f32 ? UnsafeMutablePointer(mutating: weight.data.assumingMemoryBound(to: Float.self)) : nil) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures),
                        1, x, lda, full, Int32(inFeatures), beta, y, Int32(ldc))
        } else if rows <= Linear.matVecRows {
            HalfMatVec.apply(weight: weight.data, dtype: weight.dtype, inFeatures: inFeatures, outFeatures: outFeatures,
                             x: x, ldx: Int(lda), rows: rows, y: y, ldy: ldc, accumulate: accumulate)
        } else {
            guard let scratch else { preconditionFailure("half-precision Linear needs scratch") }
            let block = Linear.blockRows(inFeatures)
            var o0 = 0
            while o0 < outFeatures {
                let n = min(block, outFeatures - o0)
                weight.widen(from: o0 * inFeatures, count: n * inFeatures, into: scratch)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(inFeatures),
                            1, x, lda, scratch, Int32(inFeatures), beta, y + o0, Int32(ldc))
                o0 += n
            }
        }
        if let bias {
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let row = y + r * ldc
                    for o in 0..<outFeatures { row[o] += b[o] }
                }
            }
        }
    }
}
