import Tensor

/// One caption job's view of an `OPTModel`: a KV cache sized for `maxBatch` sequences (beams or
/// samples) of `maxLength` positions, and every activation buffer the forward pass needs, all
/// allocated here once. `prefill` and `step` then run without allocating.
final class OPTSession {
    let model: OPTModel
    let maxBatch: Int
    let maxLength: Int
    /// Positions filled in the cache (the same for every sequence: they advance in lock step).
    private(set) var length = 0
    /// Positions every sequence holds alike since `replicatePrefix` (image queries and prompt): a
    /// reorder leaves them where they are.
    private var sharedLength = 0

    private let keyCache: [FloatBuffer]
    private let valueCache: [FloatBuffer]
    private let reorderTemp: FloatBuffer
    private let hidden, normed, query, context, ffn, scores, logitsBuffer, embedTemp, scratch: FloatBuffer
    private let rowsCapacity: Int
    private let allLogitsCapacity: Int
    /// Set by `recordQueryAttention`: after each prefill or step, row b ([maxBatch, recordedQueries])
    /// holds how the position that predicts sequence b's next token attends to the first
    /// `recordedQueries` positions (the image queries), averaged over heads and layers.
    private(set) var queryAttention: FloatBuffer?
    private(set) var recordedQueries = 0

    /// `prefillRows` is the longest input the prefill will see; `allLogitsRows` how many rows of
    /// logits a caller may ask for at once (1 for captioning, the whole input for parity tests).
    init(model: OPTModel, maxBatch: Int, maxLength: Int, prefillRows: Int, allLogitsRows: Int = 1) {
        precondition(maxBatch <= DecodingSettings.maxBatch, "reorder keeps the sequences in 64-bit masks")
        self.model = model
        self.maxBatch = maxBatch
        self.maxLength = maxLength
        let c = model.config, d = c.hiddenSize
        let cacheCount = maxBatch * maxLength * d
        keyCache = (0..<c.numHiddenLayers).map { _ in FloatBuffer(count: cacheCount, zeroed: false) }
        valueCache = (0..<c.numHiddenLayers).map { _ in FloatBuffer(count: cacheCount, zeroed: false) }
        reorderTemp = FloatBuffer(count: cacheCount, zeroed: false)
        let rows = max(prefillRows, maxBatch)
        rowsCapacity = rows
        hidden = FloatBuffer(count: rows * max(d, c.embedWidth))
        normed = FloatBuffer(count: rows * max(d, c.embedWidth))
        query = FloatBuffer(count: rows * d)
        context = FloatBuffer(count: rows * d)
        ffn = FloatBuffer(count: rows * c.ffnDim)
        scores = FloatBuffer(count: max(Attention.scoresCount(queryRows: prefillRows, keyRows: prefillRows, heads: c.numAttentionHeads),
                                        maxBatch * maxLength))
        allLogitsCapacity = max(allLogitsRows, maxBatch)
        logitsBuffer = FloatBuffer(count: allLogitsCapacity * c.vocabSize)
        embedTemp = FloatBuffer(count: rows * c.embedWidth)
        scratch = FloatBuffer(count: max(model.scratchCount, 1))
    }

    /// Turns on attention recording (allocates its buffer here, before any decode loop).
    func recordQueryAttention(queries: Int) {
        recordedQueries = queries
        queryAttention = FloatBuffer(count: maxBatch * max(1, queries))
    }

    var vocabSize: Int { model.config.vocabSize }
    var logits: UnsafeMutablePointer<Float> { logitsBuffer.pointer }

    /// Runs the input embeddings ([rows, embedWidth]) of sequence 0 from position 0 and returns the
    /// logits of the last row, or of every row when `allLogits` is set ([rows, vocab]).
    func prefill(embeddings: UnsafePointer<Float>, rows: Int, allLogits: Bool = false) -> UnsafeMutablePointer<Float> {
        precondition(rows <= rowsCapacity && rows <= maxLength && (!allLogits || rows <= allLogitsCapacity))
        length = 0
        sharedLength = 0
        forward(embeddings: embeddings, rows: rows, batch: 1)
        let c = model.config
        let logitRows = allLogits ? rows : 1
        let first = allLogits ? 0 : rows - 1
        projectLogits(from: hidden.pointer + first * c.hiddenSize, rows: logitRows)
        length = rows
        return logitsBuffer.pointer
    }

    /// Copies sequence 0's cache to sequences 1..<count so beams or samples start from one prefill.
    func replicatePrefix(count: Int) {
        let d = model.config.hiddenSize, n = length * d, stride = maxLength * d
        for layer in 0..<keyCache.count {
            for cache in [keyCache[layer], valueCache[layer]] {
                for b in 1..<max(count, 1) { (cache.pointer + b * stride).update(from: cache.pointer, count: n) }
            }
        }
        sharedLength = length
    }

    /// Feeds one token per sequence at position `length` and returns [batch, vocab] logits.
    func step(tokens: UnsafePointer<Int32>, batch: Int) -> UnsafeMutablePointer<Float> {
        precondition(batch <= maxBatch && length < maxLength)
        let e = model.config.embedWidth
        for b in 0..<batch { model.embed(token: Int(tokens[b]), into: embedTemp.pointer + b * e) }
        forward(embeddings: embedTemp.pointer, rows: 1, batch: batch)
        projectLogits(from: hidden.pointer, rows: batch)
        length += 1
        return logitsBuffer.pointer
    }

    /// After beam selection: sequence b continues from old sequence sources[b].
    ///
    /// Only the positions past the shared prefix move, and only the sequences that change: an old
    /// sequence is set aside first only when it is both overwritten and still to be read. Beam search
    /// does this every step; copying every sequence's whole cache out and back copied 2 x 32 layers
    /// x 2 x 5 x length x 2560 floats per step at OPT-2.7B (0.5 GB at 80 positions), though on the
    /// 2-core EPYC that measured only ~1-2% of a beam step.
    func reorder(sources: UnsafePointer<Int32>, batch: Int) {
        let d = model.config.hiddenSize, stride = maxLength * d
        let start = sharedLength * d, n = (length - sharedLength) * d
        let (overwritten, setAside) = Self.moves(sources: sources, batch: batch)
        if overwritten == 0 || n == 0 { return }
        let temp = reorderTemp.pointer
        // A local function capturing constants only: no closure context is allocated per step.
        func gather(_ cache: UnsafeMutablePointer<Float>) {
            for b in 0..<batch where setAside & (1 << UInt64(b)) != 0 {
                (temp + b * stride + start).update(from: cache + b * stride + start, count: n)
            }
            for b in 0..<batch where overwritten & (1 << UInt64(b)) != 0 {
                let source = Int(sources[b])
                let from = setAside & (1 << UInt64(source)) != 0 ? temp : cache
                (cache + b * stride + start).update(from: from + source * stride + start, count: n)
            }
        }
        for layer in 0..<keyCache.count {
            gather(keyCache[layer].pointer)
            gather(valueCache[layer].pointer)
        }
    }

    /// The sequences a reorder overwrites, and those of them it must set aside first because another
    /// sequence continues from them (bit b = sequence b).
    private static func moves(sources: UnsafePointer<Int32>, batch: Int) -> (overwritten: UInt64, setAside: UInt64) {
        var overwritten = 0 as UInt64, setAside = 0 as UInt64
        for b in 0..<batch where Int(sources[b]) != b { overwritten |= 1 << UInt64(b) }
        for b in 0..<batch where overwritten & (1 << UInt64(b)) != 0 {
            let source = UInt64(sources[b])
            if overwritten & (1 << source) != 0 { setAside |= 1 << source }
        }
        return (overwritten, setAside)
    }

    /// `rows` new positions for each of `batch` sequences (prefill: batch 1; decode: rows 1).
    private func forward(embeddings: UnsafePointer<Float>, rows: Int, batch: Int) {
        let c = model.config, d = c.hiddenSize, e = c.embedWidth
        let total = rows * batch
        let h = hidden.pointer, s = scratch.pointer
        if let projectIn = model.projectIn {
            projectIn.apply(embeddings, rows: total, into: h, scratch: s)
        } else {
            h.update(from: embeddings, count: total * e)
        }
        // Learned positions, offset by 2 (OPT reserves rows 0 and 1).
        for b in 0..<batch {
            for r in 0..<rows {
                model.embedPositions.widen(from: (length + r + 2) * d, count: d, into: normed.pointer)
                let row = h + (b * rows + r) * d
                for i in 0..<d { row[i] += normed.pointer[i] }
            }
        }
        queryAttention?.pointer.update(repeating: 0, count: batch * recordedQueries)
        // Indexing, not enumerated(): an unspecialised iterator boxes each layer in debug builds.
        for index in 0..<model.layers.count {
            layerForward(model.layers[index], index: index, rows: rows, batch: batch)
        }
        if let finalLayerNorm = model.finalLayerNorm { finalLayerNorm.apply(h, rows: total, into: h) }
    }

    private func layerForward(_ layer: OPTLayer, index: Int, rows: Int, batch: Int) {
        let c = model.config, d = c.hiddenSize, heads = c.numAttentionHeads, hd = d / heads
        let total = rows * batch, h = hidden.pointer, x = normed.pointer, s = scratch.pointer
        let scale = 1 / Float(hd).squareRoot()
        let kCache = keyCache[index].pointer, vCache = valueCache[index].pointer, stride = maxLength * d
        let recordWeight = 1 / Float(heads * c.numHiddenLayers), recorded = recordedQueries

        if c.doLayerNormBefore { layer.selfAttnLayerNorm.apply(h, rows: total, into: x) } else { x.update(from: h, count: total * d) }
        layer.qProj.apply(x, rows: total, into: query.pointer, scratch: s)
        for i in 0..<(total * d) { query.pointer[i] *= scale }
        if batch == 1 {
            // Keys and values go straight into the cache rows they belong to.
            layer.kProj.apply(x, rows: rows, into: kCache + length * d, scratch: s)
            layer.vProj.apply(x, rows: rows, into: vCache + length * d, scratch: s)
            Attention.multiHead(q: query.pointer, ldq: d, k: kCache, ldk: d, v: vCache, ldv: d,
                                out: context.pointer, ldo: d, queryRows: rows, keyRows: length + rows,
                                heads: heads, headDim: hd, scale: 1, causalOffset: length, scores: scores,
                                tap: queryAttention.map {
                                    AttentionTap(sum: $0.pointer, firstRow: rows - 1, keyColumns: recorded, weight: recordWeight)
                                })
        } else {
            // One new row per sequence: row b lands at position `length` of sequence b (row stride = one sequence).
            layer.kProj.apply(x, rows: batch, into: kCache + length * d, scratch: s, ldy: stride)
            layer.vProj.apply(x, rows: batch, into: vCache + length * d, scratch: s, ldy: stride)
            Attention.oneRowPerSequence(q: query.pointer, ldq: d, k: kCache, v: vCache, ld: d, sequenceStride: stride,
                                        out: context.pointer, ldo: d, batch: batch, keys: length + 1, heads: heads,
                                        headDim: hd, scores: scores,
                                        tap: queryAttention.map {
                                            AttentionTap(sum: $0.pointer, firstRow: 0, keyColumns: recorded, weight: recordWeight)
                                        }, tapStride: recorded)
        }
        layer.outProj.apply(context.pointer, rows: total, into: h, scratch: s, accumulate: true)
        if !c.doLayerNormBefore { layer.selfAttnLayerNorm.apply(h, rows: total, into: h) }

        if c.doLayerNormBefore { layer.finalLayerNorm.apply(h, rows: total, into: x) } else { x.update(from: h, count: total * d) }
        layer.fc1.apply(x, rows: total, into: ffn.pointer, scratch: s)
        layer.activation.apply(ffn.pointer, count: total * c.ffnDim)
        layer.fc2.apply(ffn.pointer, rows: total, into: h, scratch: s, accumulate: true)
        if !c.doLayerNormBefore { layer.finalLayerNorm.apply(h, rows: total, into: h) }
    }

    private func projectLogits(from rowsStart: UnsafeMutablePointer<Float>, rows: Int) {
        var source = UnsafePointer(rowsStart)
        if let projectOut = model.projectOut {
            projectOut.apply(rowsStart, rows: rows, into: embedTemp.pointer, scratch: scratch.pointer)
            source = UnsafePointer(embedTemp.pointer)
        }
        model.lmHead.apply(source, rows: rows, into: logitsBuffer.pointer, scratch: scratch.pointer)
    }
}
