import XCTest
@testable import Tensor

/// Every kernel path this CPU can run (generic, AVX2, AVX-512, AVX512-BF16), forced in turn, against
/// a double-precision reference at awkward sizes: odd depths, tails shorter than a vector, outputs
/// not a multiple of any tile, strided rows, bias and accumulation.
final class KernelDispatchTests: XCTestCase {
    override func tearDown() { KernelLevel.use(.detected) }

    var levels: [KernelLevel] { KernelLevel.allCases.filter { $0 <= .detected } }

    struct Rng {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
        }
    }

    /// y = x W^T + b (+ y0) in Double, from the weights as the kernel sees them.
    func reference(w: [Float], b: [Float], x: [Float], ldx: Int, rows: Int, k: Int, n: Int, y0: [Float]?, ldy: Int) -> [Double] {
        var y = [Double](repeating: 0, count: rows * ldy)
        for r in 0..<rows { for o in 0..<n {
            var s = 0.0
            for i in 0..<k { s += Double(w[o * k + i]) * Double(x[r * ldx + i]) }
            y[r * ldy + o] = s + Double(b[o]) + (y0.map { Double($0[r * ldy + o]) } ?? 0)
        } }
        return y
    }

    func bf16Rounded(_ x: [Float]) -> [Float] {
        x.map { Float(bitPattern: UInt32(HalfConversion.f32ToBF16($0)) << 16) }
    }

    func check(format: WeightFormat, dtype: DType, k: Int, n: Int, rows: Int, accumulate: Bool, rng: inout Rng,
               file: StaticString = #filePath, line: UInt = #line) {
        let wFloats = (0..<(k * n)).map { _ in rng.next() * 0.5 }
        let weight = TensorView.make(name: "w", dtype: dtype, shape: [n, k], floats: wFloats)
        let bias = TensorView.make(name: "b", dtype: .f32, shape: [n], floats: (0..<n).map { _ in rng.next() })
        let linear = Linear(weight: weight, bias: bias, format: format)
        // The weights as the kernel holds them: rounded to half, or quantized and dequantized.
        var kernelW = weight.floats()
        if let q = linear.quantized {
            kernelW.withUnsafeMutableBufferPointer { q.dequantize(from: 0, count: n, into: $0.baseAddress!) }
            // Prefill on AVX512-BF16 multiplies them rounded to BF16.
            if Linear.multipliesQ8AsBF16(rows: rows) { kernelW = bf16Rounded(kernelW) }
        }
        let ldx = k + 3, ldy = n + 2
        var x = (0..<(rows * ldx)).map { _ in rng.next() }
        // BF16 rows on AVX512-BF16 multiply BF16-rounded activations, as PyTorch's BF16 matmul does.
        let roundsActivations = format == .native ? Linear.multipliesBF16Activations(dtype: dtype, rows: rows)
                                                  : Linear.multipliesQ8AsBF16(rows: rows)
        let y0 = (0..<(rows * ldy)).map { _ in rng.next() }
        // One row against q8 weights is multiplied in 8 bits too (Q8_0 x Q8_0), and so are a few
        // (beams) where the CPU has AVX512-VNNI; each row's activations are quantized on their own.
        let q8Activations = format == .q8 && (rows == 1 || (rows <= Linear.matVecRows && Q8Weights.multipliesRowsInEightBits))
        var seen = roundsActivations ? bf16Rounded(x) : x
        if q8Activations {
            for r in 0..<rows {
                let row: [Float] = Q8Weights.activationsAsMultiplied(Array(x[(r * ldx)..<(r * ldx + k)]))
                seen.replaceSubrange((r * ldx)..<(r * ldx + k), with: row)
            }
        }
        let expected = reference(w: kernelW, b: bias.floats(), x: seen, ldx: ldx,
                                 rows: rows, k: k, n: n, y0: accumulate ? y0 : nil, ldy: ldy)
        let y = FloatBuffer(y0)
        let scratch = FloatBuffer(count: max(linear.scratchCount, 1))
        x.withUnsafeMutableBufferPointer {
            linear.apply($0.baseAddress!, rows: rows, into: y.pointer, scratch: scratch.pointer, ldx: ldx, ldy: ldy, accumulate: accumulate)
        }
        var worst = 0.0
        for r in 0..<rows { for o in 0..<n { worst = max(worst, abs(Double(y[r * ldy + o]) - expected[r * ldy + o])) } }
        // F32 accumulation over k terms of size <= 0.5 (+ bias, + y0).
        let tolerance = 2e-6 * Double(k) + 1e-5
        XCTAssertLessThan(worst, tolerance, "\(KernelLevel.current) \(format) \(dtype) k=\(k) n=\(n) rows=\(rows) acc=\(accumulate)",
                          file: file, line: line)
        // Columns past n in each output row are untouched.
        for r in 0..<rows { for o in n..<ldy { XCTAssertEqual(y[r * ldy + o], y0[r * ldy + o], file: file, line: line) } }
    }

    func testEveryLevelMatchesReferenceForHalfWeights() {
        var rng = Rng(state: 7)
        for level in levels {
            XCTAssertEqual(KernelLevel.use(level), level)
            for dtype in [DType.bf16, .f16] {
                // 2048: packed BF16 activation rows get a padding step there (4 KB apart otherwise).
                for (k, n) in [(1, 3), (7, 5), (16, 17), (33, 6), (100, 13), (257, 31), (2048, 7)] {
                    for rows in [1, 2, 4, 5, 8, 9, 13] {
                        check(format: .native, dtype: dtype, k: k, n: n, rows: rows, accumulate: rows % 2 == 1, rng: &rng)
                    }
                }
            }
        }
    }

    func testEveryLevelMatchesReferenceForQ8Weights() {
        var rng = Rng(state: 11)
        for level in levels {
            KernelLevel.use(level)
            // 1100: 35 blocks, two whole groups of 16 scales and an odd tail (the VNNI kernel's steps).
            for (k, n) in [(1, 3), (31, 5), (32, 7), (47, 9), (96, 4), (257, 19), (1100, 6)] {
                for rows in [1, 3, 4, 6, 8, 11] {
                    check(format: .q8, dtype: .bf16, k: k, n: n, rows: rows, accumulate: rows % 2 == 0, rng: &rng)
                }
            }
        }
    }

    /// On AVX512-BF16 a beam's BF16 products do not depend on how many beams run beside it: greedy
    /// decoding (one weight row at a time) and beam search (4 x 6 and 5 x 5 tiles) give each (row,
    /// feature) one accumulator over the same depth, so the same bits. (The F32-widening kernels of
    /// other levels sum one row in four partial accumulators and several rows in one, so there a
    /// beam may differ in the last bits.)
    func testOneBF16RowEqualsTheSameRowAmongBeams() throws {
        guard KernelLevel.detected >= .avx512bf16 else { throw XCTSkip("this CPU has no AVX512-BF16") }
        var rng = Rng(state: 11)
        let k = 1061, n = 389
        let weight = TensorView.make(name: "w", dtype: .bf16, shape: [n, k], floats: (0..<(k * n)).map { _ in rng.next() })
        let bias = TensorView.make(name: "b", dtype: .f32, shape: [n], floats: (0..<n).map { _ in rng.next() })
        assertEachBeamEqualsItsRowAlone(Linear(weight: weight, bias: bias), beamCounts: [4, 5, 8, 12], scale: 1, rng: &rng)
    }

    /// Runs `beams` rows together and each row alone: every output bit must agree.
    func assertEachBeamEqualsItsRowAlone(_ linear: Linear, beamCounts: [Int], scale: Float, rng: inout Rng,
                                         file: StaticString = #filePath, line: UInt = #line) {
        let k = linear.inFeatures, n = linear.outFeatures
        let scratch = FloatBuffer(count: max(linear.scratchCount, 1))
        for beams in beamCounts {
            let x = (0..<(beams * k)).map { _ in rng.next() * scale }
            let together = FloatBuffer(count: beams * n), alone = FloatBuffer(count: n)
            x.withUnsafeBufferPointer { linear.apply($0.baseAddress!, rows: beams, into: together.pointer, scratch: scratch.pointer) }
            for beam in 0..<beams {
                x.withUnsafeBufferPointer { linear.apply($0.baseAddress! + beam * k, rows: 1, into: alone.pointer, scratch: scratch.pointer) }
                let differing = (0..<n).filter { alone[$0].bitPattern != together[beam * n + $0].bitPattern }.count
                XCTAssertEqual(differing, 0, "k \(k), beam \(beam) of \(beams)", file: file, line: line)
            }
        }
    }

    /// With AVX512-VNNI, beams against q8 weights are quantized to 8 bits as one row is, and each
    /// (row, feature) sum is made in the same order: a beam's outputs are bit for bit those of the
    /// same row decoded alone, whatever the beam count (tiles of 4 x 1-5 rows, and 4 + 4 for 8),
    /// at depths with an odd last block and a short last group of scales, split over the cores.
    func testOneQ8RowEqualsTheSameRowAmongBeams() throws {
        guard Q8Weights.multipliesRowsInEightBits else { throw XCTSkip("beams keep F32 activations on this CPU") }
        var rng = Rng(state: 13)
        for (k, n) in [(1061, 389), (2560, 1030), (70, 7)] {
            let weight = TensorView.make(name: "w", dtype: .bf16, shape: [n, k], floats: (0..<(k * n)).map { _ in rng.next() })
            let bias = TensorView.make(name: "b", dtype: .f32, shape: [n], floats: (0..<n).map { _ in rng.next() })
            assertEachBeamEqualsItsRowAlone(Linear(weight: weight, bias: bias, format: .q8), beamCounts: Array(2...Linear.matVecRows),
                                            scale: 3, rng: &rng)
        }
    }

    /// q8 prefill on AVX512-BF16 dequantizes weight rows to BF16 an L2-sized block at a time, each
    /// core in scratch of its own: 16500 x 512 takes several blocks per core.
    func testQ8PrefillAcrossDequantizedBlocks() throws {
        guard Linear.multipliesQ8AsBF16(rows: 9) else { throw XCTSkip("q8 prefill dequantizes to F32 on this CPU") }
        var rng = Rng(state: 5)
        check(format: .q8, dtype: .bf16, k: 512, n: 16500, rows: 9, accumulate: true, rng: &rng)
    }

    /// Larger products take the parallel split and (on AVX512-BF16) several kernel blocks.
    func testLargerProductsSplitAcrossCores() {
        var rng = Rng(state: 3)
        for level in levels {
            KernelLevel.use(level)
            check(format: .native, dtype: .bf16, k: 1030, n: 1100, rows: 1, accumulate: false, rng: &rng)
            check(format: .native, dtype: .bf16, k: 515, n: 700, rows: 37, accumulate: true, rng: &rng)
            check(format: .q8, dtype: .bf16, k: 1030, n: 1100, rows: 5, accumulate: true, rng: &rng)
        }
    }

    func testQuantizationErrorIsWithinHalfAStep() {
        var rng = Rng(state: 5)
        let k = 70, n = 6
        var w = (0..<(k * n)).map { _ in rng.next() * 0.1 }
        w[5] = 0.9  // one large weight sets its block's scale
        for i in 32..<64 { w[k + i] = 0 }  // an all-zero block
        let view = TensorView.make(name: "w", dtype: .f32, shape: [n, k], floats: w)
        let q = Q8Weights(view)
        var back = [Float](repeating: 0, count: k * n)
        back.withUnsafeMutableBufferPointer { q.dequantize(from: 0, count: n, into: $0.baseAddress!) }
        for o in 0..<n {
            for b in 0..<((k + 31) / 32) {
                let range = (o * k + b * 32)..<(o * k + min(k, b * 32 + 32))
                let amax = range.map { abs(w[$0]) }.max()!
                for i in range {
                    XCTAssertLessThanOrEqual(abs(back[i] - w[i]), amax / 127 * 0.5 * 1.01 + 1e-7, "row \(o) index \(i)")
                }
            }
        }
        XCTAssertEqual(back[k + 40], 0)
        XCTAssertEqual(q.byteCount, n * 96 + n * 3 * 2)
    }

    /// Exact GELU at every level (glibc's vector erff on AVX2 / AVX-512) against double precision,
    /// over the range ViT activations take, with counts that leave a tail at every vector width.
    func testGELUAtEveryLevelMatchesExactGELU() {
        for level in levels {
            KernelLevel.use(level)
            for count in [1, 7, 15, 17, 1000, 4099] {
                let x = (0..<count).map { Float(-12.0 + 24.0 * Double($0) / Double(max(count - 1, 1))) }
                var y = x
                y.withUnsafeMutableBufferPointer { Activation.gelu.apply($0.baseAddress!, count: count) }
                for i in 0..<count {
                    let v = Double(x[i]), exact = 0.5 * v * (1 + erf(v / 2.0.squareRoot()))
                    XCTAssertLessThan(abs(Double(y[i]) - exact), 1e-6 * max(1, abs(v)), "\(level) x=\(x[i])")
                }
            }
        }
    }

    /// Softmax at every level (glibc's vector expf on AVX2 / AVX-512) against double precision, at
    /// counts with a tail at every vector width, with large logits (the max is subtracted first) and
    /// masked -inf entries (probability 0).
    func testSoftmaxAtEveryLevelMatchesDoublePrecision() {
        for level in levels {
            KernelLevel.use(level)
            for count in [1, 2, 7, 8, 15, 16, 17, 33, 257, 1000] {
                var rng = Rng(state: UInt64(count))
                var x = (0..<count).map { _ in rng.next() * 30 + 80 }
                if count > 2 { x[1] = -.infinity }
                let top = Double(x.max()!)
                let exps = x.map { exp(Double($0) - top) }
                let total = exps.reduce(0, +)
                var y = x
                y.withUnsafeMutableBufferPointer { softmaxInPlace($0.baseAddress!, count: count) }
                for i in 0..<count {
                    XCTAssertEqual(Double(y[i]), exps[i] / total, accuracy: 1e-6 * max(exps[i] / total, 1e-3), "\(level) count \(count) i \(i)")
                }
                if count > 2 { XCTAssertEqual(y[1], 0, "\(level)") }
                XCTAssertEqual(y.reduce(0, +), 1, accuracy: 1e-5, "\(level) count \(count)")
            }
        }
    }

    /// LayerNorm at every level against double precision: widths with a tail at every vector width,
    /// rows far from zero (the mean is taken out before the variance), with and without gamma/beta,
    /// in place and not.
    func testLayerNormAtEveryLevelMatchesDoublePrecision() {
        for level in levels {
            KernelLevel.use(level)
            for width in [1, 3, 8, 17, 33, 768, 1408] {
                var rng = Rng(state: UInt64(width) &+ 7)
                let rows = 3
                let x = (0..<(rows * width)).map { _ in rng.next() * 2 + 50 }
                let gamma = (0..<width).map { _ in rng.next() + 1 }, beta = (0..<width).map { _ in rng.next() }
                for affine in [false, true] {
                    let norm = LayerNorm(weight: affine ? TensorView.make(name: "g", dtype: .f32, shape: [width], floats: gamma) : nil,
                                         bias: affine ? TensorView.make(name: "b", dtype: .f32, shape: [width], floats: beta) : nil,
                                         width: width, eps: 1e-5)
                    var y = [Float](repeating: 0, count: rows * width), inPlace = x
                    x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { norm.apply(xs.baseAddress!, rows: rows, into: $0.baseAddress!) } }
                    inPlace.withUnsafeMutableBufferPointer { norm.apply($0.baseAddress!, rows: rows, into: $0.baseAddress!) }
                    XCTAssertEqual(y, inPlace, "\(level) width \(width)")
                    for r in 0..<rows {
                        let row = x[(r * width)..<((r + 1) * width)].map(Double.init)
                        let mean = row.reduce(0, +) / Double(width)
                        let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(width)
                        for i in 0..<width {
                            var expected = (row[i] - mean) / (variance + 1e-5).squareRoot()
                            if affine { expected = expected * Double(gamma[i]) + Double(beta[i]) }
                            XCTAssertEqual(Double(y[r * width + i]), expected, accuracy: 1e-4, "\(level) width \(width) affine \(affine)")
                        }
                    }
                }
            }
        }
    }

    func testLevelCanBeLoweredButNotRaisedPastTheCPU() {
        XCTAssertEqual(KernelLevel.use(.generic), .generic)
        XCTAssertEqual(KernelLevel.current, .generic)
        XCTAssertEqual(KernelLevel.use(.avx512bf16), .detected)
    }

    func testStreamingReadSumAddsEveryFloat() {
        for level in levels {
            KernelLevel.use(level)
            let buffer = FloatBuffer((0..<4096).map { Float($0 % 7) })
            let expected = (0..<4096).reduce(Float(0)) { $0 + Float($1 % 7) }
            XCTAssertEqual(streamingReadSum(UnsafeRawPointer(buffer.pointer), bytes: 4096 * 4), expected, "\(level)")
        }
    }
}
