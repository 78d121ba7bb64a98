import ArgumentParser
import Captioning
import Faces
import Foundation
import Tensor

/// `facecap bench`: encoder, prefill and per-token decode times (median of several runs) and peak
/// memory, beside this machine's own sgemm and memory-bandwidth figures measured in the same run,
/// so results read as ratios to what the hardware can do.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the engine on a model folder, or on random weights for a config.json."
    )

    @Option(help: "Model folder to time.") var model: String?
    @Option(help: "A Blip2Config config.json: time random weights of that size (no checkpoint needed).") var config: String?
    @Option(help: "Weight precision for --config: f32, f16 or bf16.") var dtype: String = "bf16"
    @Option(help: "Timed runs (the median is reported).") var runs: Int = 5
    @Option(help: "Decode steps timed per run.") var newTokens: Int = 16
    @Option(help: "Sequences decoded together (beam width).") var numBeams: Int = 1
    @Option(help: "Language-model weights: native (as stored) or q8 (8-bit, quantized at load).") var weights: WeightFormat?
    @Flag(help: "Skip the machine reference measurements.") var noReference = false
    @Option(help: "With --model: also time whole captions of this image with and without attention recording.")
    var attentionCost: String?

    func validate() throws {
        if (model == nil) == (config == nil) { throw ValidationError("give exactly one of --model or --config") }
        if attentionCost != nil && model == nil { throw ValidationError("--attention-cost needs --model") }
        if runs < 1 || newTokens < 1 || numBeams < 1 { throw ValidationError("--runs, --new-tokens and --num-beams must be positive") }
        if numBeams > DecodingSettings.maxBatch { throw ValidationError("--num-beams must be at most \(DecodingSettings.maxBatch)") }
        if DType(rawValue: dtype.uppercased()) == nil { throw ValidationError("--dtype must be f32, f16 or bf16") }
    }

    func run() throws {
        if let attentionCost, let model {
            try printAttentionCost(model: model, image: attentionCost)
            return
        }
        let clock = ContinuousClock()
        let loadStart = clock.now
        let blip: Blip2Model
        let label: String
        if let model {
            let captioner = try CaptionerLoader(weightFormat: weights).load(URL(fileURLWithPath: model))
            blip = captioner.model
            label = captioner.name
        } else {
            let url = URL(fileURLWithPath: config!)
            let cfg = try Blip2Config.load(url)
            let type = DType(rawValue: dtype.uppercased())!
            let random = RandomWeights(config: cfg, dtype: type)
            let widen = type == .f32
            let language = try OPTModel(config: cfg.textConfig, weights: random, widenHalf: widen, format: self.weights ?? .native)
            blip = try Blip2Model(config: cfg, weights: random, language: language, widenHalf: widen)
            label = "\(url.deletingLastPathComponent().lastPathComponent) (random \(type.rawValue), LM weights \((self.weights ?? .native).rawValue))"
        }
        let loadMs = Double((clock.now - loadStart).components.attoseconds) / 1e15 + Double((clock.now - loadStart).components.seconds) * 1000
        var bench = EngineBenchmark(model: blip)
        bench.runs = runs
        bench.newTokens = newTokens
        bench.batch = numBeams
        bench.pairedRead = !noReference
        let result = try bench.run()
        let params = CheckpointLayout.parameterCount(for: blip.config)
        func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
        let v = blip.config.visionConfig, t = blip.config.textConfig
        // FLOPs of the ViT (the encoder's bulk): 2 * params * tokens for the matmuls + attention.
        let tokens = Double(v.numPatches + 1), d = Double(v.hiddenSize)
        let vitFlops = Double(v.numHiddenLayers) * (2 * tokens * (4 * d * d + 2 * d * Double(v.intermediateSize)) + 4 * tokens * tokens * d)
        let lmBytes = Double(CheckpointLayout.tensors(for: blip.config).filter { $0.name.hasPrefix("language_model.") }
            .reduce(0) { $0 + $1.shape.reduce(1, *) }) * blip.language.bytesPerWeight
        let enc = median(result.encodeMs), pre = median(result.prefillMs), dec = median(result.decodeMsPerToken)
        print("model            \(label)")
        print(String(format: "parameters       %.1f M (LM width %d, %d layers)", Double(params) / 1e6, t.hiddenSize, t.numHiddenLayers))
        print(String(format: "load             %.0f ms", loadMs))
        print(String(format: "encode           %.1f ms  (ViT ~%.1f GFLOP/s)", enc, vitFlops / enc / 1e6))
        print(String(format: "prefill          %.1f ms  (%d tokens)", pre, blip.config.numQueryTokens + 1))
        print(String(format: "decode           %.2f ms/token  (batch %d; LM weights %.0f MB read per step = %.1f GB/s)",
                     dec, numBeams, lmBytes / 1e6, lmBytes / dec / 1e6))
        print(String(format: "peak memory      %.0f MB", Double(HeapUsage.peakResidentBytes()) / 1e6))
        print("kernels          \(KernelLevel.current) (this CPU offers \(KernelLevel.detected); FACECAP_KERNELS caps it)")
        if !noReference {
            let gflops = MachineReference.sgemmGflops(m: v.numPatches + 1, n: v.hiddenSize, k: v.hiddenSize)
            let bandwidth = MachineReference.readBandwidth()
            print(String(format: "reference        sgemm %.1f GFLOP/s, memory read %.1f GB/s (all cores; this machine, this run)", gflops, bandwidth))
            print(String(format: "ratios           encoder %.2f of sgemm; decode %.2f of memory bandwidth",
                         vitFlops / enc / 1e6 / gflops, lmBytes / dec / 1e6 / bandwidth))
            print(String(format: "decode floor     %.2fx a plain read of the same weights right after each step (median of %d; read %.1f GB/s)",
                         median(result.decodeOverRead), result.decodeOverRead.count, median(result.pairedReadGBs)))
        }
    }

    /// Whole captions (the model's decoding settings) with and without recording attention.
    func printAttentionCost(model: String, image: String) throws {
        let captioner = try CaptionerLoader(weightFormat: weights).load(try Locations.model(model))
        let png = try FaceImageDecoder.decode(contentsOf: URL(fileURLWithPath: image), alpha: .compositeOntoWhite)
        var bench = AttentionCostBenchmark(captioner: captioner)
        bench.runs = runs
        let r = try bench.run(pixelValues: captioner.preprocessor.pixelValues(png))
        print("model            \(captioner.name) (\(captioner.defaultSettings.summary), \(r.tokens) tokens, LM weights \(captioner.model.language.weightFormat.rawValue))")
        print(String(format: "caption          %.1f ms median of %d", r.medianPlain, r.plainMs.count))
        print(String(format: "with attention   %.1f ms median of %d", r.medianRecording, r.recordingMs.count))
        print(String(format: "recording adds   %+.1f%%", 100 * r.overhead))
    }
}

extension WeightFormat: ExpressibleByArgument {}
