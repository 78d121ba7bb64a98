/// Where a model's tensors come from, by the names the engine uses: a checkpoint folder
/// (`WeightStore`), a foreign checkpoint after its sanitize step, or a dictionary made in memory
/// (random weights for `facecap bench --config`). Lookups check shapes against the config so a
/// mismatched checkpoint fails at load with the tensor's name, never later with a bad read.
public protocol WeightSource: AnyObject {
    /// Where the tensors came from, for error messages.
    var origin: String { get }
    func contains(_ name: String) -> Bool
    func tensor(_ name: String) throws -> TensorView
}

extension WeightSource {
    public func tensor(_ name: String, shape: [Int], impliedBy source: String = "config.json") throws -> TensorView {
        let t = try tensor(name)
        guard t.shape == shape else {
            throw InputError(origin, "tensor \(name) has shape \(t.shape) but \(source) implies \(shape)")
        }
        return t
    }

    /// Accepts any shape with the same element count (conv kernels used as matrices, [1, Q, D] tokens).
    public func tensor(_ name: String, reshapedTo shape: [Int]) throws -> TensorView {
        let t = try tensor(name)
        guard t.count == shape.reduce(1, *) else {
            throw InputError(origin, "tensor \(name) has shape \(t.shape) but config.json implies \(shape)")
        }
        return TensorView(name: t.name, dtype: t.dtype, shape: shape, data: t.data, owner: t.owner)
    }

    public func linear(_ prefix: String, out: Int, in inFeatures: Int, bias: Bool = true, widenHalf: Bool) throws -> Linear {
        let w = try tensor(prefix + ".weight", shape: [out, inFeatures])
        let b = bias ? try tensor(prefix + ".bias", shape: [out]) : nil
        return Linear(weight: w, bias: b, widenHalf: widenHalf)
    }

    public func layerNorm(_ prefix: String, width: Int, eps: Float, affine: Bool = true) throws -> LayerNorm {
        guard affine else { return LayerNorm(weight: nil, bias: nil, width: width, eps: eps) }
        return LayerNorm(weight: try tensor(prefix + ".weight", shape: [width]),
                         bias: try tensor(prefix + ".bias", shape: [width]), width: width, eps: eps)
    }
}

/// Tensors held in memory, keyed by checkpoint name.
public final class InMemoryWeights: WeightSource {
    public let origin: String
    public private(set) var tensors: [String: TensorView]

    public init(origin: String, tensors: [String: TensorView]) {
        self.origin = origin
        self.tensors = tensors
    }

    public func contains(_ name: String) -> Bool { tensors[name] != nil }

    public func tensor(_ name: String) throws -> TensorView {
        guard let t = tensors[name] else { throw InputError(origin, "missing tensor \(name)") }
        return t
    }
}

extension WeightStore: WeightSource {}
