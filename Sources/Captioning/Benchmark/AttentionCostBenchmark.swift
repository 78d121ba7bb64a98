import Foundation

/// What recording attention adds to a whole caption (encode + decode with the model's own
/// decoding settings): the same image captioned with and without recording, alternately, so both
/// see the same machine load; medians reported.
public struct AttentionCostBenchmark {
    public struct Result {
        public var plainMs: [Double] = []
        public var recordingMs: [Double] = []
        public var tokens = 0

        public var medianPlain: Double { Self.median(plainMs) }
        public var medianRecording: Double { Self.median(recordingMs) }
        public var overhead: Double { medianRecording / medianPlain - 1 }

        static func median(_ xs: [Double]) -> Double {
            let s = xs.sorted()
            guard !s.isEmpty else { return .nan }
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
    }

    public let captioner: Blip2Captioner
    public var runs = 7

    public init(captioner: Blip2Captioner) { self.captioner = captioner }

    public func run(pixelValues: [Float]) throws -> Result {
        var result = Result()
        let settings = captioner.defaultSettings
        let clock = ContinuousClock()
        // One untimed pair warms caches and lazy state.
        _ = try captioner.caption(pixelValues: pixelValues, settings: settings)
        _ = try captioner.caption(pixelValues: pixelValues, settings: settings, recordAttention: true)
        for i in 0..<(2 * runs) {
            let record = i % 2 == 1
            let start = clock.now
            let caption = try captioner.caption(pixelValues: pixelValues, settings: settings, recordAttention: record)
            let ms = Blip2Captioner.milliseconds(clock.now - start)
            if record { result.recordingMs.append(ms) } else { result.plainMs.append(ms) }
            result.tokens = caption.tokenIDs.first?.count ?? 0
        }
        return result
    }
}
