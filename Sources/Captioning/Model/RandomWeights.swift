import Tensor

/// Random weights for a config, so real sizes (ViT-g + OPT-6.7B) can be timed without their
/// checkpoints. Values are uniform in ±0.02 (LayerNorm scales 1), written straight into half or
/// single precision storage. Each tensor is made when it is asked for, from a seed of its own name,
/// and nothing here keeps it: a model that quantizes at load (q8) frees the half-precision tensor as
/// a mapped checkpoint's pages are released, so the benchmark's peak memory is the model's, not the
/// model's plus a resident copy of every source tensor.
public final class RandomWeights: WeightSource {
    public let origin = "random weights"
    let shapes: [String: [Int]]
    let dtype: DType
    let seed: UInt64

    public init(config: Blip2Config, dtype: DType, seed: UInt64 = 1) {
        var shapes: [String: [Int]] = [:]
        for (name, shape) in CheckpointLayout.tensors(for: config) { shapes[name] = shape }
        self.shapes = shapes
        self.dtype = dtype
        self.seed = seed
    }

    public func contains(_ name: String) -> Bool { shapes[name] != nil }

    public func tensor(_ name: String) throws -> TensorView {
        guard let shape = shapes[name] else { throw InputError(origin, "no tensor \(name)") }
        let count = shape.reduce(1, *)
        let storage = TensorStorage(byteCount: count * dtype.itemSize)
        let isNormScale = shape.count == 1 && name.hasSuffix(".weight") && name.lowercased().contains("norm")
        let base = storage.bytes.baseAddress!
        var state = (Self.fnv1a(name) ^ seed) | 1
        for i in 0..<count {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let value: Float = isNormScale ? 1 : (Float(state >> 40) / Float(1 << 24) - 0.5) * 0.04
            switch dtype {
            case .f32: base.storeBytes(of: value, toByteOffset: i * 4, as: Float.self)
            case .bf16: base.storeBytes(of: HalfConversion.f32ToBF16(value), toByteOffset: i * 2, as: UInt16.self)
            case .f16: base.storeBytes(of: Float16(value).bitPattern, toByteOffset: i * 2, as: UInt16.self)
            }
        }
        return TensorView(name: name, dtype: dtype, shape: shape, data: UnsafeRawPointer(base), owner: storage)
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
