import CKernels

/// y = x W^T + b for a whole sequence of rows at once, W stored [out, in] as in PyTorch checkpoints.
///
/// F32 weights go straight to OpenBLAS's sgemm, split by output columns over the cores (`BLAS`).
/// Half weights stay half in memory (mmapped):
/// - BF16 takes the vdpbf16ps kernel where the CPU has AVX512-BF16, for any number of rows (`BF16Gemm`:
///   activations rounded to BF16 as PyTorch does, F32 accumulation);
/// - otherwise a few rows (decode steps) take a fused widen-and-multiply kernel (`HalfMatVec`);
/// - otherwise blocks of W are widened into a small scratch area just before their sgemm: the block
///   (about 16 MB) stays in cache, so a ViT-g + OPT-6.7B pair fits a 24 GB machine.
/// With `format: .q8` the weights are quantized to 8 bits at load (`Q8Weights`) and the checkpoint's
/// copy is no longer read.
public struct Linear: @unchecked Sendable {
    public let inFeatures: Int
    public let outFeatures: Int
    let weight: TensorView
    /// Set when the weight is F32 in its file, or was widened once at load (small models).
    let widened: FloatBuffer?
    /// Set when the weights were quantized at load.
    let quantized: Q8Weights?
    let bias: [Float]?

    /// Bytes each weight occupies in memory (4 when F32 or widened at load, 2 when kept half, ~1.06 for q8).
    public var storedBytesPerWeight: Double {
        if let quantized { return Double(quantized.byteCount) / Double(inFeatures * outFeatures) }
        return Double(widened != nil ? 4 : weight.dtype.itemSize)
    }

    /// The memory a product of a few rows (a decoding step) streams: the weights as this Linear keeps
    /// them (half, widened, or 8-bit blocks and their scales).
    public var streamedBytes: [UnsafeRawBufferPointer] {
        if let quantized {
            return [UnsafeRawBufferPointer(start: quantized.qs, count: quantized.rows * quantized.rowBytes),
                    UnsafeRawBufferPointer(start: quantized.scales, count: quantized.rows * quantized.blocksPerRow * 2)]
        }
        if let widened { return [UnsafeRawBufferPointer(start: widened.pointer, count: widened.count * 4)] }
        return [weight.rawBytes]
    }

    /// Whether this Linear's products round activations to BF16 where the CPU has AVX512-BF16
    /// (`multipliesBF16Activations`): BF16 weights kept half, neither widened nor quantized.
    public var keepsBF16Half: Bool { quantized == nil && widened == nil && weight.dtype == .bf16 }

    /// Floats of scratch a half-precision or 8-bit Linear needs per call (0 for F32 weights).
    public var scratchCount: Int {
        guard widened == nil && (weight.dtype != .f32 || quantized != nil) else { return 0 }
        // Room for a widened block of W, and for BF16-packed activations, at least 32 rows at a time.
        return max(min(Linear.blockRows(inFeatures), outFeatures) * inFeatures,
                   Int(fc_bf16_gemm_packed_floats(32, Int32(inFeatures))), quantized?.activationScratchCount ?? 0)
    }

    public init(weight: TensorView, bias: TensorView?, widenHalf: Bool = false, format: WeightFormat = .native) {
        precondition(weight.shape.count == 2, "Linear weight must be 2-D")
        outFeatures = weight.shape[0]
        inFeatures = weight.shape[1]
        self.bias = bias?.floats()
        if format == .q8 {
            let q8 = Q8Weights(weight)
            quantized = q8
            // Let go of the original: its pages leave the resident set (mmapped checkpoint) or its
            // memory is freed with the last view (weights made in memory). Only the shape is kept.
            weight.releaseResidentPages()
            self.weight = TensorView(name: weight.name, dtype: weight.dtype, shape: weight.shape,
                                     data: UnsafeRawPointer(q8.qs), owner: q8)
            widened = nil
        } else if weight.dtype == .f32 {
            self.weight = weight
            quantized = nil
            widened = nil
        } else if widenHalf {
            self.weight = weight
            let buffer = FloatBuffer(count: weight.count, zeroed: false)
            weight.widen(from: 0, count: weight.count, into: buffer.pointer)
            widened = buffer
            quantized = nil
        } else {
            self.weight = weight
            widened = nil
            quantized = nil
        }
    }

    /// Output rows of W widened per block: about 4M floats (16 MB) of scratch, at least 8 rows.
    /// Large blocks keep sgemm's packing overhead small for the ViT's 257-row products.
    static func blockRows(_ inFeatures: Int) -> Int { max(8, (1 << 22) / max(inFeatures, 1)) }

    /// Up to this many rows (decode steps, one per beam), half and 8-bit weights take the fused
    /// widen-and-multiply kernels instead of a matrix product.
    public static let matVecRows = 8

    /// Whether a product of `rows` rows with `dtype` weights (kept half, not widened) runs on the
    /// vdpbf16ps kernel, which rounds the activations to BF16 first (as PyTorch's BF16 matmul does).
    /// Every row count does where the CPU has AVX512-BF16. From two rows up (beams, prefill, ViT
    /// tokens) the multiply-adds dominate and BF16 pairs halve them. One row (greedy decoding) is
    /// bound by reading the weights, and there vdpbf16ps takes 64 weight bytes per load with nothing
    /// to widen: paired with a plain read of the same bytes it kept 0.99 of its pace, against 0.79
    /// for widening each weight to F32 (`HalfMatVec`), on the 2-core EPYC.
    public static func multipliesBF16Activations(dtype: DType, rows: Int) -> Bool {
        dtype == .bf16 && rows >= 1 && KernelLevel.current >= .avx512bf16
    }

    /// Whether a product of `rows` rows with 8-bit weights dequantizes them to BF16 for the vdpbf16ps
    /// kernel (prefill on AVX512-BF16): weights and activations are then both rounded to BF16.
    public static func multipliesQ8AsBF16(rows: Int) -> Bool {
        rows > matVecRows && multipliesBF16Activations(dtype: .bf16, rows: rows)
    }

    /// `x` is [rows, inFeatures] (row stride `ldx`), `y` is [rows, outFeatures] (row stride `ldy`).
    /// When `accumulate` is true, y += x W^T + b (a residual add for free).
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
                      scratch: UnsafeMutablePointer<Float>?, ldx: Int? = nil, ldy: Int? = nil,
                      accumulate: Bool = false) {
        let lda = ldx ?? inFeatures
        let ldc = ldy ?? outFeatures
        if let quantized {
            if rows <= Linear.matVecRows {
                guard let scratch else { preconditionFailure("8-bit Linear needs scratch") }
                quantized.matVec(x: x, ldx: lda, rows: rows, y: y, ldy: ldc, accumulate: accumulate, scratch: scratch)
            } else if Linear.multipliesQ8AsBF16(rows: rows) {
                guard let scratch else { preconditionFailure("8-bit Linear needs scratch") }
                BF16Gemm.applyDequantizing(quantized, x: x, ldx: lda, rows: rows, y: y, ldy: ldc, bias: bias,
                                           accumulate: accumulate, scratch: scratch, scratchCount: scratchCount)
                return  // the kernel added the bias
            } else {
                blockwise(x, lda: lda, rows: rows, y: y, ldc: ldc, scratch: scratch, accumulate: accumulate) { start, count, out in
                    quantized.dequantize(from: start, count: count, into: out)
                }
            }
        } else if let full = widened?.pointer ?? (weight.dtype == .f32 ? UnsafeMutablePointer(mutating: weight.data.assumingMemoryBound(to: Float.self)) : nil) {
            BLAS.sgemmTransposedB(rows: rows, n: outFeatures, k: inFeatures, a: x, lda: lda, b: full, ldb: inFeatures,
                                  beta: accumulate ? 1 : 0, c: y, ldc: ldc)
        } else if Linear.multipliesBF16Activations(dtype: weight.dtype, rows: rows) {
            guard let scratch else { preconditionFailure("half-precision Linear needs scratch") }
            BF16Gemm.apply(weight: weight.data, inFeatures: inFeatures, outFeatures: outFeatures, x: x, ldx: lda, rows: rows,
                           y: y, ldy: ldc, bias: bias, accumulate: accumulate, scratch: scratch, scratchCount: scratchCount)
            return  // the kernel added the bias
        } else if rows <= Linear.matVecRows {
            HalfMatVec.apply(weight: weight.data, dtype: weight.dtype, inFeatures: inFeatures, outFeatures: outFeatures,
                             x: x, ldx: lda, rows: rows, y: y, ldy: ldc, accumulate: accumulate)
        } else {
            blockwise(x, lda: lda, rows: rows, y: y, ldc: ldc, scratch: scratch, accumulate: accumulate) { start, count, out in
                weight.widen(from: start * inFeatures, count: count * inFeatures, into: out)
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

    /// Widens (or dequantizes) W block by block into scratch, one sgemm per block; the cores share
    /// both the widening and the product of each block.
    @inline(__always)
    private func blockwise(_ x: UnsafePointer<Float>, lda: Int, rows: Int, y: UnsafeMutablePointer<Float>, ldc: Int,
                           scratch: UnsafeMutablePointer<Float>?, accumulate: Bool,
                           fill: (_ start: Int, _ count: Int, _ out: UnsafeMutablePointer<Float>) -> Void) {
        guard let scratch else { preconditionFailure("half-precision Linear needs scratch") }
        let block = Linear.blockRows(inFeatures)
        var o0 = 0
        while o0 < outFeatures {
            let n = min(block, outFeatures - o0)
            Parallel.ranges(n, granule: 16) { range in
                fill(o0 + range.lowerBound, range.count, scratch + range.lowerBound * inFeatures)
            }
            BLAS.sgemmTransposedB(rows: rows, n: n, k: inFeatures, a: x, lda: lda, b: scratch, ldb: inFeatures,
                                  beta: accumulate ? 1 : 0, c: y + o0, ldc: ldc)
            o0 += n
        }
    }
}

/// Many rows times BF16 weights with vdpbf16ps (see CKernels/bf16_gemm.c): the activations are
/// packed to BF16 once into scratch, then the cores split the output features.
enum BF16Gemm {
    static func apply(weight: UnsafeRawPointer, inFeatures k: Int, outFeatures n: Int, x: UnsafePointer<Float>, ldx: Int,
                      rows: Int, y: UnsafeMutablePointer<Float>, ldy: Int, bias: [Float]?, accumulate: Bool,
                      scratch: UnsafeMutablePointer<Float>, scratchCount: Int) {
        let w = weight.assumingMemoryBound(to: UInt16.self)
        // Rows per pass so their packed copy fits the scratch area (the ViT's 257 rows fit in one).
        let passRows = rowsPacked(k: k, into: scratchCount)
        inPackedPasses(x, ldx: ldx, rows: rows, k: k, passRows: passRows, scratch: scratch, y: y, ldy: ldy, bias: bias) { m, yr, b in
            if m * n * k < HalfMatVec.parallelThreshold {
                fc_bf16_gemm(w, Int32(k), 0, Int32(n), scratch, Int32(m), b, yr, Int32(ldy), accumulate ? 1 : 0)
            } else {
                Parallel.ranges(n, granule: 6) { range in
                    fc_bf16_gemm(w, Int32(k), Int32(range.lowerBound), Int32(range.upperBound), scratch, Int32(m),
                                 b, yr, Int32(ldy), accumulate ? 1 : 0)
                }
            }
        }
    }

    /// Many rows times 8-bit weights (prompt prefill in q8) on the same kernel: the activations are
    /// packed once; then each core dequantizes L2-sized blocks of its weight rows to BF16 in a part of
    /// the scratch of its own and multiplies them there (`fc_q8_bf16_gemm`). The dequantized weights
    /// are q8's values rounded to BF16 (relative error 2^-9, well inside q8's own steps).
    /// Dequantizing to F32 for sgemm took 2.3-2.8 s of OPT-2.7B's prefill against BF16's 0.65-0.7 s,
    /// which made q8 slower than BF16 for short captions.
    static func applyDequantizing(_ weights: Q8Weights, x: UnsafePointer<Float>, ldx: Int, rows: Int,
                                  y: UnsafeMutablePointer<Float>, ldy: Int, bias: [Float]?, accumulate: Bool,
                                  scratch: UnsafeMutablePointer<Float>, scratchCount: Int) {
        let k = weights.columns, n = weights.rows
        // Half of the scratch for packed activations, half for the cores' dequantized blocks.
        let passRows = rowsPacked(k: k, into: scratchCount / 2)
        let packedFloats = Int(fc_bf16_gemm_packed_floats(Int32(min(passRows, rows)), Int32(k)))
        // BF16 values of scratch per range: at least one weight row, fewer ranges if need be.
        let free = (scratchCount - packedFloats) * 2
        precondition(free >= k, "q8 product needs scratch for one weight row")
        let ranges = min(Parallel.maxRanges, free / k)
        let perRange = free / ranges
        let blocks = UnsafeMutableRawPointer(scratch + packedFloats).assumingMemoryBound(to: UInt16.self)
        let qs = weights.qs, scales = weights.scales
        inPackedPasses(x, ldx: ldx, rows: rows, k: k, passRows: passRows, scratch: scratch, y: y, ldy: ldy, bias: bias) { m, yr, b in
            Parallel.indexedRanges(n, granule: 30, limit: ranges) { index, range in
                fc_q8_bf16_gemm(qs, scales, Int32(k), Int32(range.lowerBound), Int32(range.upperBound), scratch, Int32(m),
                                b, yr, Int32(ldy), accumulate ? 1 : 0, blocks + index * perRange, perRange)
            }
        }
    }

    /// The rows of `x` in passes of up to `passRows`, each packed to BF16 at the start of `scratch`;
    /// `body` gets the pass's row count, its first output row and the bias.
    @inline(__always)
    static func inPackedPasses(_ x: UnsafePointer<Float>, ldx: Int, rows: Int, k: Int, passRows: Int,
                               scratch: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>, ldy: Int, bias: [Float]?,
                               body: (_ rows: Int, _ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>?) -> Void) {
        bias.withOptionalPointer { b in
            var r0 = 0
            while r0 < rows {
                let m = min(passRows, rows - r0)
                pack(x + r0 * ldx, ldx: ldx, rows: m, k: k, into: scratch)
                body(m, y + r0 * ldy, b)
                r0 += m
            }
        }
    }

    /// Rounds `rows` rows to BF16 into `packed`, the cores splitting many rows: one core packing the
    /// ViT's 257 rows while the other waited was ~1.6% of the encoder's samples.
    static func pack(_ x: UnsafePointer<Float>, ldx: Int, rows: Int, k: Int, into packed: UnsafeMutablePointer<Float>) {
        guard rows * k >= Activation.parallelThreshold, ProcessorCount.value > 1 else {
            return fc_bf16_gemm_pack(x, Int32(ldx), Int32(rows), Int32(k), packed)
        }
        let perRow = packedFloatsPerRow(k: k)
        Parallel.ranges(rows) { range in
            fc_bf16_gemm_pack(x + range.lowerBound * ldx, Int32(ldx), Int32(range.count), Int32(k), packed + range.lowerBound * perRow)
        }
    }

    /// Floats one packed row takes (the kernel's padded BF16 row stride, in floats).
    static func packedFloatsPerRow(k: Int) -> Int { max(1, Int(fc_bf16_gemm_packed_floats(1, Int32(k))) - 1) }

    /// Rows whose packed copy fits `floats` of scratch.
    static func rowsPacked(k: Int, into floats: Int) -> Int {
        let perRow = packedFloatsPerRow(k: k)
        let rows = (floats - 1) / perRow
        precondition(rows >= 1, "BF16 product needs scratch for at least one packed row")
        return rows
    }
}

extension Optional where Wrapped == [Float] {
    func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .some(let array): return array.withUnsafeBufferPointer { body($0.baseAddress) }
        case .none: return body(nil)
        }
    }
}
