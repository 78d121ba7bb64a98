import CKernels

/// Which hand-written kernels run: the widest instruction set this CPU offers, decided at run time
/// so one build runs on any x86-64. `FACECAP_KERNELS=generic|avx2|avx512|avx512bf16` caps it for a
/// process; tests lower it with `use(_:)` to exercise every path the machine can run.
public enum KernelLevel: Int, Comparable, CaseIterable, Sendable, CustomStringConvertible {
    case generic = 0      // Swift SIMD and portable C
    case avx2 = 1         // AVX2 + FMA + F16C
    case avx512 = 2       // AVX-512 F/BW/VL
    case avx512bf16 = 3   // plus vdpbf16ps: BF16 matrix products at twice the F32 rate

    /// The best level this CPU supports (after FACECAP_KERNELS).
    public static var detected: KernelLevel { KernelLevel(rawValue: Int(fc_detected_level())) ?? .generic }
    /// The level in use now.
    public static var current: KernelLevel { KernelLevel(rawValue: Int(fc_level())) ?? .generic }

    /// Switches to `level` (clamped to `detected`) and returns the level now in use. Process-wide:
    /// meant for tests and benchmarks, not for concurrent use while models run.
    @discardableResult
    public static func use(_ level: KernelLevel) -> KernelLevel {
        KernelLevel(rawValue: Int(fc_set_level(Int32(level.rawValue)))) ?? .generic
    }

    public static func < (a: KernelLevel, b: KernelLevel) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .generic: return "generic"
        case .avx2: return "avx2"
        case .avx512: return "avx512"
        case .avx512bf16: return "avx512bf16"
        }
    }
}

/// Sums `bytes` bytes of floats with the widest loads the CPU has: the memory-read reference of
/// `facecap bench` (the sum only keeps the reads from being optimised away).
public func streamingReadSum(_ pointer: UnsafeRawPointer, bytes: Int) -> Float {
    fc_read_sum(pointer, bytes)
}

/// Reads every byte of `regions` once, each region split over the cores as the decode kernels split
/// a weight matrix (`Parallel.ranges` over rows of 64-byte lines): the floor a decoding step that
/// streams the same weights can reach, measured on the same bytes at the same moment.
public func streamingRead(_ regions: [UnsafeRawBufferPointer]) {
    for region in regions where region.count >= 64 {
        guard let base = region.baseAddress else { continue }
        let lines = region.count / 64
        // One core below the size where the decode kernels split a matrix (that many BF16 weights).
        if lines * 64 < HalfMatVec.parallelThreshold * 2 {
            _ = fc_read_sum(base, lines * 64)
            continue
        }
        // fc_read_sum is opaque to Swift, so its reads cannot be optimised away.
        Parallel.ranges(lines, granule: 64) { range in
            _ = fc_read_sum(base + range.lowerBound * 64, range.count * 64)
        }
    }
}
