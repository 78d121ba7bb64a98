import Dispatch
import Foundation
import Tensor

/// Times the engine's three phases on one model: image encoding (ViT + Q-Former + projection),
/// the language-model prefill over [queries][</s>], and decoding, per token. Decoding drives the
/// KV-cached session directly with a fixed token so every run does the same number of steps
/// (random weights never say eos). With several sequences each step is followed by the cache
/// reorder beam search makes after choosing beams (`beamSources`), as `generate` does in PyTorch.
public struct EngineBenchmark {
    public struct Result {
        public var encodeMs: [Double] = []
        public var prefillMs: [Double] = []
        public var decodeMsPerToken: [Double] = []
        /// Per decoding step: its time over the time to stream the language model's weights once with
        /// a plain read, taken right after it (`pairedRead`).
        public var decodeOverRead: [Double] = []
        /// GB/s of those paired reads.
        public var pairedReadGBs: [Double] = []
    }

    public let model: Blip2Model
    public var runs = 5
    public var newTokens = 16
    public var batch = 1
    /// Time a plain read of the language model's weights after each decoding step. Memory bandwidth on
    /// a shared machine drifts by a third within a minute, so the floor a decoding step is held to is
    /// read on the same bytes at the same moment, not once per run.
    public var pairedRead = false

    public init(model: Blip2Model) { self.model = model }

    public func run() throws -> Result {
        var result = Result()
        let sources = beamSources
        let size = model.config.visionConfig.imageSize
        var pixels = [Float](repeating: 0, count: 3 * size * size)
        for i in pixels.indices { pixels[i] = Float((i * 7919) % 255) / 128 - 1 }
        let clock = ContinuousClock()
        for _ in 0..<runs {
            var start = clock.now
            let encoding = try model.encode(pixelValues: pixels)
            result.encodeMs.append(ms(clock.now - start))

            let input = model.languageInput(projectedQueries: encoding.projectedQueries, promptIDs: [])
            let rows = input.inputIDs.count
            let session = OPTSession(model: model.language, maxBatch: batch, maxLength: rows + newTokens * (pairedRead ? 2 : 1) + 1,
                                      prefillRows: rows)
            start = clock.now
            _ = input.embeddings.withUnsafeBufferPointer { session.prefill(embeddings: $0.baseAddress!, rows: rows) }
            result.prefillMs.append(ms(clock.now - start))
            session.replicatePrefix(count: batch)

            var tokens = [Int32](repeating: Int32(model.config.textConfig.eosTokenID), count: batch)
            // One untimed step warms the caches; then the timed steps.
            _ = tokens.withUnsafeBufferPointer { session.step(tokens: $0.baseAddress!, batch: batch) }
            start = clock.now
            for _ in 0..<newTokens { beamStep(session, tokens: &tokens, sources: sources) }
            result.decodeMsPerToken.append(ms(clock.now - start) / Double(newTokens))
            if pairedRead { measurePairedReads(session: session, tokens: &tokens, sources: sources, into: &result) }
        }
        return result
    }

    /// Each decoding step, then one plain read of the weights it streamed, `newTokens` times.
    func measurePairedReads(session: OPTSession, tokens: inout [Int32], sources: [Int32], into result: inout Result) {
        let regions = Linear.all(in: model.language).flatMap(\.streamedBytes)
        let bytes = Double(regions.reduce(0) { $0 + $1.count })
        let clock = ContinuousClock()
        for _ in 0..<newTokens {
            var start = clock.now
            beamStep(session, tokens: &tokens, sources: sources)
            let step = ms(clock.now - start)
            start = clock.now
            streamingRead(regions)
            let read = ms(clock.now - start)
            result.decodeOverRead.append(step / read)
            result.pairedReadGBs.append(bytes / read / 1e6)
        }
    }

    /// Which old sequence each sequence continues after a beam search step: here the best beam's two
    /// best tokens both survive and every other beam moves down one place (sequence 0 stays put).
    var beamSources: [Int32] { (0..<batch).map { Int32(max(0, $0 - 1)) } }

    /// One decoding step of `batch` sequences, then (beams) the reorder beam search follows it with.
    func beamStep(_ session: OPTSession, tokens: inout [Int32], sources: [Int32]) {
        _ = tokens.withUnsafeMutableBufferPointer { session.step(tokens: $0.baseAddress!, batch: batch) }
        if batch > 1 { sources.withUnsafeBufferPointer { session.reorder(sources: $0.baseAddress!, batch: batch) } }
    }

    func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
}

/// The bars the issue sets, measured on this machine in the same run: sgemm throughput at a
/// ViT-like shape, and memory read bandwidth over a buffer far larger than the caches.
public enum MachineReference {
    /// GFLOP/s of one sgemm [m x k] * [k x n].
    public static func sgemmGflops(m: Int = 257, n: Int = 1408, k: Int = 1408, repeats: Int = 10) -> Double {
        let a = FloatBuffer(count: m * k), b = FloatBuffer(count: n * k), c = FloatBuffer(count: m * n)
        for i in 0..<(m * k) { a[i] = Float(i % 13) * 0.01 }
        for i in 0..<(n * k) { b[i] = Float(i % 7) * 0.01 }
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = clock.now
            BLAS.sgemmTransposedB(rows: m, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: k, beta: 0, c: c.pointer, ldc: n)
            let d = clock.now - start
            best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
        return 2 * Double(m) * Double(n) * Double(k) / best / 1e9
    }

    /// GB/s reading `megabytes` (best of a few passes) with every core streaming its own part at once,
    /// with the widest loads the CPU has: what the decode kernels can hope for, since they read the
    /// weights the same way.
    public static func readBandwidth(megabytes: Int = 1024) -> Double {
        let bytes = megabytes << 20
        let buffer = FloatBuffer(count: bytes / 4)
        let cores = ProcessorCount.value
        let part = bytes / cores / 64 * 64
        let clock = ContinuousClock()
        var best = Double.infinity
        let sinks = FloatBuffer(count: cores)
        for _ in 0..<5 {
            let start = clock.now
            DispatchQueue.concurrentPerform(iterations: cores) { c in
                sinks[c] += streamingReadSum(UnsafeRawPointer(buffer.pointer) + c * part, bytes: part)
            }
            let d = clock.now - start
            best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
        if sinks[0] == .infinity { print("") }
        return Double(part * cores) / best / 1e9
    }
}

/// Process memory figures for `bench`.
public enum HeapUsage {
    /// Peak resident set size of this process in bytes.
    public static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(0 /* RUSAGE_SELF */, &usage)
        #if os(Linux)
        return usage.ru_maxrss * 1024
        #else
        return usage.ru_maxrss
        #endif
    }
}
