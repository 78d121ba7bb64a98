import Foundation
import Tensor

/// DFER-CLIP's tensors by their state-dict names, checked against the shapes the config implies.
///
/// One sanitize step for both sources: DataParallel's `module.` prefix (the released `.pth` files) is
/// dropped, so the model reads `image_encoder.conv1.weight` whether it came from a safetensors folder
/// or from a checkpoint. The `clip_model_.*` duplicates are left where they are; only the token
/// embedding is read from there (DFER-CLIP keeps no other copy of it).
final class RecognizerWeights {
    let origin: String
    private let tensors: [String: TensorView]
    /// Whether half-precision matrices are widened to F32 at load (tiny models, tests) or kept half.
    let widenHalf: Bool

    init(origin: String, tensors: [String: TensorView], widenHalf: Bool = false) {
        self.origin = origin
        self.widenHalf = widenHalf
        var names: [String: TensorView] = [:]
        for (name, view) in tensors {
            names[name.hasPrefix("module.") ? String(name.dropFirst("module.".count)) : name] = view
        }
        self.tensors = names
    }

    convenience init(store: WeightStore, widenHalf: Bool = false) throws {
        var all: [String: TensorView] = [:]
        for name in store.names where store.unsupported[name] == nil { all[name] = try store.tensor(name) }
        self.init(origin: store.origin, tensors: all, widenHalf: widenHalf)
    }

    func contains(_ name: String) -> Bool { tensors[name] != nil }

    func tensor(_ name: String) throws -> TensorView {
        guard let t = tensors[name] else {
            throw InputError(origin, "missing tensor \(name) (the weights hold \(tensors.count) tensors)")
        }
        return t
    }

    func tensor(_ name: String, shape: [Int]) throws -> TensorView {
        let t = try tensor(name)
        guard t.shape == shape else {
            throw InputError(origin, "tensor \(name) has shape \(t.shape) but the recognizer's config implies \(shape)")
        }
        return t
    }

    /// Accepts any shape with the element count of `shape` (a conv kernel used as a matrix, [1, n, d] tokens).
    func tensor(_ name: String, reshapedTo shape: [Int]) throws -> TensorView {
        let t = try tensor(name)
        guard t.count == shape.reduce(1, *) else {
            throw InputError(origin, "tensor \(name) has shape \(t.shape) but the recognizer's config implies \(shape)")
        }
        return TensorView(name: t.name, dtype: t.dtype, shape: shape, data: t.data, owner: t.owner)
    }

    func floats(_ name: String, shape: [Int]) throws -> [Float] { try tensor(name, shape: shape).floats() }

    func linear(_ prefix: String, out: Int, in inFeatures: Int, bias: Bool = true) throws -> Linear {
        Linear(weight: try tensor(prefix + ".weight", shape: [out, inFeatures]),
               bias: bias ? try tensor(prefix + ".bias", shape: [out]) : nil, widenHalf: widenHalf)
    }

    /// A `[in, out]` matrix used as `x @ P` (CLIP's `proj` and `text_projection`), as a Linear over its transpose.
    func projection(_ name: String, in inFeatures: Int, out: Int) throws -> Linear {
        let p = try floats(name, shape: [inFeatures, out])
        var transposed = [Float](repeating: 0, count: p.count)
        for i in 0..<inFeatures { for o in 0..<out { transposed[o * inFeatures + i] = p[i * out + o] } }
        return Linear(weight: TensorView.make(name: name, dtype: .f32, shape: [out, inFeatures], floats: transposed), bias: nil)
    }

    func layerNorm(_ prefix: String, width: Int) throws -> LayerNorm {
        LayerNorm(weight: try tensor(prefix + ".weight", shape: [width]), bias: try tensor(prefix + ".bias", shape: [width]),
                  width: width, eps: 1e-5)
    }
}
