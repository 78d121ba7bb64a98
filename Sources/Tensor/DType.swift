/// Element types a checkpoint may store. Half types stay half in memory and are widened to
/// Float32 where they are used (a 24 GB machine must hold ViT-g + OPT-6.7B).
public enum DType: String, Sendable, CaseIterable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"

    public var itemSize: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        }
    }
}
