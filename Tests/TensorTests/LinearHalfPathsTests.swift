import XCTest
@testable import Tensor

/// Half-precision Linear takes three paths (fused widen-and-multiply for decode rows; for longer
/// sequences widen-then-sgemm, or on AVX512-BF16 the vdpbf16ps kernel, which rounds the activations
/// to BF16 as PyTorch's BF16 matmul does); each must equal the plain float computation on the
/// values it multiplies. KernelDispatchTests runs every level the CPU offers.
final class LinearHalfPathsTests: XCTestCase {
    func naive(_ w: [Float], _ b: [Float], _ x: [Float], rows: Int, k: Int, n: Int) -> [Float] {
        var y = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows { for o in 0..<n {
            var s: Float = 0
            for i in 0..<k { s += w[o * k + i] * x[r * k + i] }
            y[r * n + o] = s + b[o]
        } }
        return y
    }

    func testBothPathsMatchFloatMath() throws {
        var state: UInt64 = 42
        func next() -> Float { state = state &* 6364136223846793005 &+ 1442695040888963407; return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23) }
        for dtype in [DType.bf16, .f16] {
            for (k, n) in [(37, 5), (64, 129), (1100, 1000)] {
                let wFloats = (0..<(k * n)).map { _ in next() * 0.5 }
                let weight = TensorView.make(name: "w", dtype: dtype, shape: [n, k], floats: wFloats)
                let bias = TensorView.make(name: "b", dtype: .f32, shape: [n], floats: (0..<n).map { _ in next() })
                let linear = Linear(weight: weight, bias: bias)
                let exactW = weight.floats()  // the values as stored (rounded to half)
                for rows in [1, 3, 5, 9, 20] {
                    let x = (0..<(rows * k)).map { _ in next() }
                    let roundsActivations = Linear.multipliesBF16Activations(dtype: dtype, rows: rows)
                    let multiplied = roundsActivations ? x.map { Float(bitPattern: UInt32(HalfConversion.f32ToBF16($0)) << 16) } : x
                    let expected = naive(exactW, bias.floats(), multiplied, rows: rows, k: k, n: n)
                    let y = FloatBuffer(count: rows * n)
                    let scratch = FloatBuffer(count: max(linear.scratchCount, 1))
                    x.withUnsafeBufferPointer { linear.apply($0.baseAddress!, rows: rows, into: y.pointer, scratch: scratch.pointer) }
                    var worst: Float = 0
                    for i in 0..<(rows * n) { worst = max(worst, abs(y[i] - expected[i])) }
                    XCTAssertLessThan(worst, 1e-3 * Float(k).squareRoot(), "\(dtype) k=\(k) n=\(n) rows=\(rows)")
                }
            }
        }
    }

    func testSIMDHalfWideningIsExactForEveryF16Value() {
        var bits = [UInt16](repeating: 0, count: 8)
        for base in stride(from: 0, to: 65536, by: 8) {
            for j in 0..<8 { bits[j] = UInt16(base + j) }
            let wide = bits.withUnsafeBufferPointer { HalfMatVec.widen8($0.baseAddress!, .f16) }
            for j in 0..<8 {
                let expected = Float(Float16(bitPattern: bits[j]))
                if expected.isNaN { XCTAssertTrue(wide[j].isNaN, "\(bits[j])") } else {
                    XCTAssertEqual(wide[j].bitPattern, expected.bitPattern, "f16 bits \(bits[j])")
                }
            }
        }
    }
}
