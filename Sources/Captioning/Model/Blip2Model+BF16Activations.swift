import Tensor

extension Blip2Model {
    /// Whether captions of this model on this CPU come from BF16-rounded activations (every product
    /// on AVX512-BF16 with BF16 weights kept half). Such a caption can differ from the
    /// same model's on a CPU without those instructions, so the cache identity records it.
    public var roundsActivationsToBF16: Bool {
        Linear.multipliesBF16Activations(dtype: .bf16, rows: 1) && linears.contains { $0.keepsBF16Half }
    }

    /// Every Linear the model holds (`Linear.all(in:)`).
    var linears: [Linear] { Linear.all(in: self) }
}
