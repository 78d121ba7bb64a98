import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The activations the BLIP-2 family uses, by their transformers config names.
public enum Activation: String, Sendable {
    /// Exact (erf) GELU: "gelu" in ViT and Q-Former configs.
    case gelu
    case relu
    /// tanh approximation, accepted for configs that ask for it.
    case geluTanh = "gelu_new"
    case quickGelu = "quick_gelu"

    public init(configName: String) throws {
        switch configName {
        case "gelu": self = .gelu
        case "relu": self = .relu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": self = .geluTanh
        case "quick_gelu": self = .quickGelu
        default: throw InputError("config.json", "unsupported activation \"\(configName)\"")
        }
    }

    /// Elementwise, so the cores split big arrays (a ViT-g MLP's 257 x 6144 values) exactly.
    public func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count >= Self.parallelThreshold, ProcessorCount.value > 1 else { return applySerially(x, count: count) }
        Parallel.ranges(count, granule: 1024) { range in applySerially(x + range.lowerBound, count: range.count) }
    }

    /// Below this many values one core is faster than waking others (a decoding step's 10240 stay here).
    static let parallelThreshold = 1 << 16

    private func applySerially(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .gelu:
            fc_gelu(x, count)
        case .relu:
            // A select, not a branch: OPT's pre-activations are negative about half the time at
            // random, and the branch mispredicted on ~1.6 M values per beam-5 step (0.8% of samples).
            // NaN stays NaN, as torch.relu keeps it.
            for i in 0..<count { let v = x[i]; x[i] = v < 0 ? 0 : v }
        case .geluTanh:
            let c: Float = 0.7978845608028654
            for i in 0..<count { let v = x[i]; x[i] = 0.5 * v * (1 + tanhf(c * (v + 0.044715 * v * v * v))) }
        case .quickGelu:
            for i in 0..<count { let v = x[i]; x[i] = v / (1 + expf(-1.702 * v)) }
        }
    }
}

/// Numerically stable softmax of one row in place.
@inline(__always)
public func softmaxInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    fc_softmax(x, count)
}

/// log_softmax of one row into `out` (natural log), as transformers' beam search scores tokens.
public func logSoftmax(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
    var maxValue = -Float.infinity
    for i in 0..<count where x[i] > maxValue { maxValue = x[i] }
    var sum: Float = 0
    for i in 0..<count { sum += expf(x[i] - maxValue) }
    let logSum = logf(sum) + maxValue
    for i in 0..<count { out[i] = x[i] - logSum }
}
