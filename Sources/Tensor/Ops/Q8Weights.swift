import CKernels

/// A weight matrix [rows, columns] quantized to 8 bits at load: per row, blocks of 32 values share
/// one F16 scale (amax / 127), as llama.cpp's Q8_0. Rows are padded to whole blocks with zeros.
/// Decoding reads 34 bytes per 32 weights instead of BF16's 64. One activation row (greedy decoding)
/// is quantized the same way (blocks of 32, F32 scales) and multiplied in exact integer dots, as
/// llama.cpp's Q8_0 x Q8_0 does: with F32 activations, turning each weight into a float cost more
/// than reading it (q8 decoding ran at half the bandwidth BF16 reached). Several rows (beams) are
/// quantized the same way where the CPU has AVX512-VNNI, each weight then read once for all of
/// them, and every row's result equals that row decoded alone; elsewhere they keep F32 activations
/// against the dequantized weights. The prefill keeps F32 activations too except on AVX512-BF16,
/// where blocks are dequantized to BF16 for the vdpbf16ps kernel (`BF16Gemm.applyDequantizing`).
public final class Q8Weights: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    let qs: UnsafeMutablePointer<Int8>
    let scales: UnsafeMutablePointer<UInt16>

    var rowBytes: Int { (columns + 31) / 32 * 32 }
    var blocksPerRow: Int { (columns + 31) / 32 }
    public var byteCount: Int { rows * rowBytes + rows * blocksPerRow * 2 }

    /// Quantizes `weight` (any dtype), rows split over the cores.
    public init(_ weight: TensorView) {
        precondition(weight.shape.count == 2)
        rows = weight.shape[0]
        columns = weight.shape[1]
        let k = columns
        qs = .allocate(capacity: rows * ((k + 31) / 32 * 32))
        scales = .allocate(capacity: rows * ((k + 31) / 32))
        let qs = qs, scales = scales
        let chunkRows = max(1, (1 << 16) / max(k, 1))
        Parallel.ranges(rows, granule: chunkRows) { range in
            let temp = UnsafeMutablePointer<Float>.allocate(capacity: chunkRows * k)
            defer { temp.deallocate() }
            var o = range.lowerBound
            while o < range.upperBound {
                let n = min(chunkRows, range.upperBound - o)
                weight.widen(from: o * k, count: n * k, into: temp)
                fc_q8_quantize(temp, Int32(k), Int32(n), qs + o * ((k + 31) / 32 * 32), scales + o * ((k + 31) / 32))
                o += n
            }
        }
    }

    deinit {
        qs.deallocate()
        scales.deallocate()
    }

    /// Floats of scratch the 8-bit activations take: one row's int8 blocks, then their scales; or up
    /// to `Linear.matVecRows` rows as `fc_q8_matvec_q8_rows` reads them.
    var activationScratchCount: Int {
        max(rowBytes / 4 + blocksPerRow, Int(fc_q8_rows_prepared_bytes(Int32(columns), Int32(Linear.matVecRows))) / 4 + 1)
    }

    /// Whether several rows are multiplied in 8 bits (AVX512-VNNI at the current kernel level).
    public static var multipliesRowsInEightBits: Bool { fc_q8_rows_available() != 0 }

    /// y[r] (+)= W x[r] for a few rows (decode steps), output features split over the cores. One row,
    /// and several where `multipliesRowsInEightBits`, are multiplied in 8 bits, quantized into
    /// `scratch` (at least `activationScratchCount` floats).
    func matVec(x: UnsafePointer<Float>, ldx: Int, rows: Int, y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool,
                scratch: UnsafeMutablePointer<Float>) {
        let k = Int32(columns), qs = qs, scales = scales, acc: Int32 = accumulate ? 1 : 0
        // Closure literals passed straight on, never stored: stored ones would be heap allocated on
        // every decode step.
        if rows == 1 {
            let xq = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: Int8.self)
            let xscale = scratch + rowBytes / 4
            fc_q8_quantize_row(x, k, xq, xscale)
            splitOutputs { o0, o1 in fc_q8_matvec_q8(qs, scales, k, o0, o1, xq, xscale, y, acc) }
        } else if Q8Weights.multipliesRowsInEightBits && rows <= Linear.matVecRows {
            fc_q8_rows_prepare(x, Int32(ldx), Int32(rows), k, scratch)
            splitOutputs { o0, o1 in fc_q8_matvec_q8_rows(qs, scales, k, o0, o1, scratch, Int32(rows), y, Int32(ldy), acc) }
        } else {
            splitOutputs { o0, o1 in fc_q8_matvec(qs, scales, k, o0, o1, x, Int32(ldx), Int32(rows), y, Int32(ldy), acc) }
        }
    }

    /// Runs `body` on output features [o0, o1): all of them on this core for a small matrix, else
    /// split over the cores.
    @inline(__always)
    private func splitOutputs(_ body: (_ o0: Int32, _ o1: Int32) -> Void) {
        if rows * columns < HalfMatVec.parallelThreshold { return body(0, Int32(rows)) }
        Parallel.ranges(rows, granule: 16) { range in body(Int32(range.lowerBound), Int32(range.upperBound)) }
    }

    /// `x` as the one-row kernel multiplies it: quantized to 8 bits per block and back (for tests).
    static func activationsAsMultiplied(_ x: [Float]) -> [Float] {
        let k = x.count, blocks = (k + 31) / 32
        var xq = [Int8](repeating: 0, count: blocks * 32), xscale = [Float](repeating: 0, count: blocks)
        fc_q8_quantize_row(x, Int32(k), &xq, &xscale)
        return (0..<k).map { Float(xq[$0]) * xscale[$0 / 32] }
    }

    /// Rows [start, start + count) as F32 into `out` ([count, columns]).
    func dequantize(from start: Int, count: Int, into out: UnsafeMutablePointer<Float>) {
        fc_q8_dequantize(qs, scales, Int32(columns), Int32(start), Int32(start + count), out)
    }
}
