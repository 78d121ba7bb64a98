import Tensor

extension Blip2Model {
    /// Whether captions of this model on this CPU come from BF16-rounded activations (beams, prefill
    /// and ViT tokens on AVX512-BF16 with BF16 weights kept half). Such a caption can differ from the
    /// same model's on a CPU without those instructions, so the cache identity records it.
    public var roundsActivationsToBF16: Bool {
        Linear.multipliesBF16Activations(dtype: .bf16, rows: 2) && linears.contains { $0.keepsBF16Half }
    }

    /// Every Linear the model holds, found by reflection so that a module added later cannot be
    /// left out of the check above. Objects are visited once (weight owners may share storage).
    var linears: [Linear] {
        var found: [Linear] = []
        var visited = Set<ObjectIdentifier>()
        func walk(_ value: Any) {
            if let linear = value as? Linear { found.append(linear); return }
            if value is TensorView || value is FloatBuffer { return }  // data, not modules
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .class {
                let id = ObjectIdentifier(value as AnyObject)
                guard visited.insert(id).inserted else { return }
            }
            for child in mirror.children { walk(child.value) }
            var superclass = mirror.superclassMirror
            while let s = superclass { for child in s.children { walk(child.value) }; superclass = s.superclassMirror }
        }
        walk(self)
        return found
    }
}
