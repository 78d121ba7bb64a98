import Tensor

/// DFER-CLIP's `PromptLearner` (CoOp, class-specific context): each class's prompt is
/// [SOS][ctx_c: n_ctx learned vectors][descriptor tokens][EOS][padding], as token embeddings.
///
/// Two sources, one result. A released checkpoint stores the prompt as buffers (`token_prefix`, the SOS
/// row, and `token_suffix`, descriptor + EOS + padding rows); our folders store only `ctx`, and the rows
/// around it come from tokenizing `"X " * n_ctx + descriptor` and looking the ids up in the token
/// embedding (what DFER-CLIP does when it builds those buffers). When both are available they must agree.
struct PromptLearner {
    /// [classes, context_length, width]
    let prompts: [Float]
    /// Each prompt's EOT position (where CLIP reads the text feature).
    let eot: [Int]

    static func placeholderText(nCtx: Int) -> String { String(repeating: "X ", count: nCtx) }

    init(config: RecognizerConfig, weights: RecognizerWeights, tokenizer: CLIPTokenizer?) throws {
        let n = config.classes.count, t = config.text, w = t.width, k = config.nCtx
        let ctxView = try weights.tensor("prompt_learner.ctx")
        guard ctxView.shape.count == 3, ctxView.shape[1] == k, ctxView.shape[2] == w else {
            throw InputError(weights.origin, "tensor prompt_learner.ctx has shape \(ctxView.shape) but the recognizer's config implies [classes, \(k), \(w)]")
        }
        guard ctxView.shape[0] == n else {
            throw InputError(weights.origin, "classes and descriptors disagree with the checkpoint: it learned prompts for \(ctxView.shape[0]) classes, the class list names \(n) (\(config.classes.joined(separator: ", ")))")
        }
        let ctx = ctxView.floats()
        let embedding = try weights.tensor("clip_model_.token_embedding.weight", shape: [t.vocabSize, w])
        let suffixRows = t.contextLength - 1 - k

        var fromTokens: (prompts: [Float], eot: [Int])?
        if let tokenizer {
            var prompts = [Float](repeating: 0, count: n * t.contextLength * w)
            var eot: [Int] = []
            for (c, descriptor) in config.descriptors.enumerated() {
                var ids = tokenizer.encode(PromptLearner.placeholderText(nCtx: k) + descriptor)
                guard ids.count <= t.contextLength else {
                    throw InputError(weights.origin, "the descriptor of class \(config.classes[c]) is \(ids.count) tokens with its context, longer than the context length \(t.contextLength)")
                }
                guard ids.allSatisfy({ $0 < t.vocabSize }) else {
                    throw InputError(weights.origin, "the tokenizer's ids exceed the token embedding's \(t.vocabSize) rows")
                }
                // torch's argmax: the first position holding the largest id (EOT is the largest id).
                eot.append(ids.indices.max { ids[$0] < ids[$1] || (ids[$0] == ids[$1] && $0 > $1) }!)
                ids += [Int](repeating: 0, count: t.contextLength - ids.count)
                prompts.withUnsafeMutableBufferPointer { out in
                    for (p, id) in ids.enumerated() {
                        embedding.widen(from: id * w, count: w, into: out.baseAddress! + (c * t.contextLength + p) * w)
                    }
                }
            }
            fromTokens = (prompts, eot)
        }

        var fromBuffers: (prompts: [Float], eot: [Int])?
        if weights.contains("prompt_learner.token_prefix") || weights.contains("prompt_learner.token_suffix") {
            let prefix = try weights.floats("prompt_learner.token_prefix", shape: [n, 1, w])
            let suffix = try weights.floats("prompt_learner.token_suffix", shape: [n, suffixRows, w])
            let eotRow = [Float](unsafeUninitializedCapacity: w) { b, c in
                embedding.widen(from: (t.vocabSize - 1) * w, count: w, into: b.baseAddress!); c = w
            }
            var prompts = [Float]()
            prompts.reserveCapacity(n * t.contextLength * w)
            var eot: [Int] = []
            for c in 0..<n {
                prompts += prefix[(c * w)..<((c + 1) * w)]
                prompts += [Float](repeating: 0, count: k * w)  // ctx goes here below
                let rows = suffix[(c * suffixRows * w)..<((c + 1) * suffixRows * w)]
                prompts += rows
                guard let j = (0..<suffixRows).first(where: { r in
                    (0..<w).allSatisfy { rows[rows.startIndex + r * w + $0] == eotRow[$0] }
                }) else {
                    throw InputError(weights.origin, "the stored prompt of class \(config.classes[c]) has no end-of-text token")
                }
                eot.append(1 + k + j)
            }
            fromBuffers = (prompts, eot)
        }

        guard var chosen = fromBuffers ?? fromTokens else {
            throw InputError(weights.origin, "no tokenizer (vocab.json, merges.txt) to build the class prompts from, and no stored prompt_learner.token_prefix/token_suffix")
        }
        if let a = fromTokens, let b = fromBuffers {
            for c in 0..<n {
                let base = c * t.contextLength * w
                let same = a.eot[c] == b.eot[c] && (0..<(t.contextLength * w)).allSatisfy { i in
                    i / w >= 1 && i / w <= k || abs(a.prompts[base + i] - b.prompts[base + i]) <= 1e-3 * max(1, abs(b.prompts[base + i]))
                }
                guard same else {
                    throw InputError(weights.origin, "classes and descriptors disagree: the stored prompt of class \(c) (\(config.classes[c])) is not its descriptor \"\(config.descriptors[c])\"")
                }
            }
        }
        for c in 0..<n {
            for r in 0..<k {
                for i in 0..<w { chosen.prompts[(c * t.contextLength + 1 + r) * w + i] = ctx[(c * k + r) * w + i] }
            }
        }
        prompts = chosen.prompts
        eot = chosen.eot
    }
}
