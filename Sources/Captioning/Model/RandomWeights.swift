import Tensor

/// Random weights made in memory for a config, so real sizes (ViT-g + OPT-6.7B) can be timed
/// without their checkpoints. Values are uniform in ±0.02 (LayerNorm scales 1), written straight
/// into half or single precision storage: no Float32 staging copy of a 6.7B-parameter model.
public enum RandomWeights {
    public static func make(config: Blip2Config, dtype: DType, seed: UInt64 = 1) -> InMemoryWeights {
        var tensors: [String: TensorView] = [:]
        var state = seed | 1
        for (name, shape) in CheckpointLayout.tensors(for: config) {
            let count = shape.reduce(1, *)
            let storage = TensorStorage(byteCount: count * dtype.itemSize)
            let isNormScale = shape.count == 1 && name.hasSuffix(".weight") && name.lowercased().contains("norm")
            let base = storage.bytes.baseAddress!
            for i in 0..<count {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                let value: Float = isNormScale ? 1 : (Float(state >> 40) / Float(1 << 24) - 0.5) * 0.04
                switch dtype {
                case .f32: base.storeBytes(of: value, toByteOffset: i * 4, as: Float.self)
                case .bf16: base.storeBytes(of: HalfConversion.f32ToBF16(value), toByteOffset: i * 2, as: UInt16.self)
                case .f16: base.storeBytes(of: Float16(value).bitPattern, toByteOffset: i * 2, as: UInt16.self)
                }
            }
            tensors[name] = TensorView(name: name, dtype: dtype, shape: shape, data: UnsafeRawPointer(base), owner: storage)
        }
        return InMemoryWeights(origin: "random weights", tensors: tensors)
    }
}
