import Tensor

/// OPT weights under the names the engine reads (`language_model.model.decoder.*`,
/// `language_model.lm_head.weight`), whichever way the folder names them: `decoder.*` as
/// `facebook/opt-6.7b`'s `.bin` shards do, `model.decoder.*` as transformers' OPTForCausalLM saves,
/// or already prefixed (a folder facecap or a BLIP-2 export wrote).
enum OPTNames {
    static let decoder = "language_model.model.decoder."
    static let head = "language_model.lm_head."
    /// Accepted prefixes, most specific first, and the engine prefix each maps to.
    static let prefixes: [(stored: String, engine: String)] = [
        ("language_model.model.decoder.", decoder), ("language_model.lm_head.", head),
        ("model.decoder.", decoder), ("decoder.", decoder), ("lm_head.", head),
    ]

    static func sanitize(_ store: WeightStore) throws -> InMemoryWeights {
        var out: [String: TensorView] = [:]
        for name in store.names {
            guard let row = prefixes.first(where: { name.hasPrefix($0.stored) }) else { continue }
            let engine = row.engine + name.dropFirst(row.stored.count)
            if out[engine] != nil {
                throw InputError(store.path(of: name), "holds both \(name) and another tensor that is also \(engine)")
            }
            guard store.unsupported[name] == nil else { continue }  // e.g. an int64 buffer; OPTModel never asks
            let view = try store.tensor(name)
            out[engine] = TensorView(name: engine, dtype: view.dtype, shape: view.shape, data: view.data, owner: view.owner)
        }
        return InMemoryWeights(origin: store.origin, tensors: out)
    }
}
