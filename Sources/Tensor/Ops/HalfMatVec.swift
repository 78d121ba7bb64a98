import CKernels

/// y[r] (+)= W x[r] for a handful of rows (decode steps: one row per beam) with W kept in BF16/F16.
///
/// Decoding is bound by reading the weights once per token. Widening a block to F32 and handing it
/// to sgemm reads each weight's 2 bytes and then writes and re-reads 4 more; this kernel widens 8
/// weights in registers and multiplies them straight away, so memory traffic is the 2 bytes alone.
/// Output features are split across cores, each core streaming its own slice of W. Where the CPU
/// has AVX2 or AVX-512 the C kernels (CKernels) do the multiply, 8 or 16 lanes wide; the Swift
/// loop below is the generic fallback.
enum HalfMatVec {
    /// Below this many weights a single thread is faster than waking others.
    static let parallelThreshold = 1 << 20

    static func apply(weight: UnsafeRawPointer, dtype: DType, inFeatures k: Int, outFeatures n: Int,
                      x: UnsafePointer<Float>, ldx: Int, rows: Int,
                      y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
        let w = weight.assumingMemoryBound(to: UInt16.self)
        if n * k < parallelThreshold {
            outputs(0..<n, w, dtype: dtype, k: k, x: x, ldx: ldx, rows: rows, y: y, ldy: ldy, accumulate: accumulate)
        } else {
            // A closure literal passed straight on (a stored one would be heap allocated per call).
            Parallel.ranges(n, granule: 64) { range in
                outputs(range, w, dtype: dtype, k: k, x: x, ldx: ldx, rows: rows, y: y, ldy: ldy, accumulate: accumulate)
            }
        }
    }

    @inline(__always)
    static func outputs(_ outputs: Range<Int>, _ w: UnsafePointer<UInt16>, dtype: DType, k: Int, x: UnsafePointer<Float>, ldx: Int,
                        rows: Int, y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
        if KernelLevel.current >= .avx2 {
            fc_half_matvec(w, dtype == .f16 ? 1 : 0, Int32(k), Int32(outputs.lowerBound), Int32(outputs.upperBound),
                           x, Int32(ldx), Int32(rows), y, Int32(ldy), accumulate ? 1 : 0)
        } else {
            rowsRange(w, dtype: dtype, k: k, outputs: outputs, x: x, ldx: ldx, rows: rows, y: y, ldy: ldy, accumulate: accumulate)
        }
    }

    @inline(__always)
    static func widen8(_ p: UnsafePointer<UInt16>, _ dtype: DType) -> SIMD8<Float> {
        let raw = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<UInt16>.self)
        let bits = SIMD8<UInt32>(truncatingIfNeeded: raw)
        if dtype == .bf16 { return unsafeBitCast(bits &<< 16, to: SIMD8<Float>.self) }
        // F16 -> F32 without F16C: move exponent+mantissa into float position and rescale by
        // 2^112 (exact for normals and subnormals), then patch infinities and NaNs.
        let sign = (bits & 0x8000) &<< 16
        let magnitude = (bits & 0x7FFF) &<< 13
        var value = unsafeBitCast(magnitude, to: SIMD8<Float>.self) * SIMD8<Float>(repeating: 0x1p112)
        let special = (bits & 0x7C00) .== SIMD8<UInt32>(repeating: 0x7C00)
        value.replace(with: unsafeBitCast(magnitude | 0x7F80_0000, to: SIMD8<Float>.self), where: special)
        return unsafeBitCast(unsafeBitCast(value, to: SIMD8<UInt32>.self) | sign, to: SIMD8<Float>.self)
    }

    static func rowsRange(_ w: UnsafePointer<UInt16>, dtype: DType, k: Int, outputs: Range<Int>,
                          x: UnsafePointer<Float>, ldx: Int, rows: Int,
                          y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
        let body = k & ~7
        for o in outputs {
            let row = w + o * k
            var r = 0
            // Four activation rows at a time share each widened weight vector.
            while r < rows {
                let batch = min(4, rows - r)
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                let x0 = x + r * ldx, x1 = x0 + ldx, x2 = x1 + ldx, x3 = x2 + ldx
                var i = 0
                while i < body {
                    let wv = widen8(row + i, dtype)
                    a0 += wv * UnsafeRawPointer(x0 + i).loadUnaligned(as: SIMD8<Float>.self)
                    if batch > 1 { a1 += wv * UnsafeRawPointer(x1 + i).loadUnaligned(as: SIMD8<Float>.self) }
                    if batch > 2 { a2 += wv * UnsafeRawPointer(x2 + i).loadUnaligned(as: SIMD8<Float>.self) }
                    if batch > 3 { a3 += wv * UnsafeRawPointer(x3 + i).loadUnaligned(as: SIMD8<Float>.self) }
                    i += 8
                }
                var sums = (a0.sum(), a1.sum(), a2.sum(), a3.sum())
                while i < k {
                    let wf = widen1(row[i], dtype)
                    sums.0 += wf * x0[i]
                    if batch > 1 { sums.1 += wf * x1[i] }
                    if batch > 2 { sums.2 += wf * x2[i] }
                    if batch > 3 { sums.3 += wf * x3[i] }
                    i += 1
                }
                for b in 0..<batch {
                    let value = b == 0 ? sums.0 : b == 1 ? sums.1 : b == 2 ? sums.2 : sums.3
                    let out = y + (r + b) * ldy + o
                    out.pointee = accumulate ? out.pointee + value : value
                }
                r += batch
            }
        }
    }

    @inline(__always)
    static func widen1(_ h: UInt16, _ dtype: DType) -> Float {
        dtype == .bf16 ? Float(bitPattern: UInt32(h) << 16) : Float(Float16(bitPattern: h))
    }
}
