import Captioning
import Faces
import Foundation

/// CaptionCancelled has no public initializer, so a captioner outside Captioning reports a stop
/// with its own error; the explorer treats any error after cancellation as a cancellation.
struct DemoCancelled: Error {}

/// A stand-in for a real model: deterministic captions after a short "encoding" delay, then one
/// word per "token" with progress reported like the engine does. Recognises demo faces by pixels.
final class FakeCaptioner: FaceCaptioner, @unchecked Sendable {
    let name: String
    let identity: String
    let defaultSettings: DecodingSettings
    private let emotions: [[UInt8]: String]
    private let encodeMs: Int
    private let tokenMs: Int
    private let runs = NSLock()
    private(set) var runCount = 0

    init(name: String, faces: [(RGBImage, String)], beams: Int, encodeMs: Int, tokenMs: Int) {
        self.name = name
        identity = "fake:\(name)"
        var s = DecodingSettings()
        s.numBeams = beams
        s.maxNewTokens = 40
        defaultSettings = s
        emotions = Dictionary(faces.map { ($0.0.pixels, $0.1) }, uniquingKeysWith: { a, _ in a })
        self.encodeMs = encodeMs
        self.tokenMs = tokenMs
    }

    func caption(_ image: RGBImage, settings: DecodingSettings,
                 progress: @escaping (CaptionProgress) -> Bool) throws -> CaptionResult {
        runs.withLock { runCount += 1 }
        let start = Date()
        guard progress(.encoding) else { throw DemoCancelled() }
        usleep(useconds_t(encodeMs * 1000))
        let encodeMs = Date().timeIntervalSince(start) * 1000
        let base = DemoCaptions.caption(model: name, emotion: emotions[image.pixels] ?? "neutral")
        var captions: [String] = []
        for i in 0..<max(1, settings.numCaptions) {
            let text = i == 0 ? base : "Perhaps " + base.prefix(1).lowercased() + base.dropFirst()
            let words = text.split(separator: " ")
            var partial = ""
            for (step, word) in words.enumerated() {
                usleep(useconds_t(tokenMs * 1000))
                partial += (partial.isEmpty ? "" : " ") + word
                guard progress(.decoding(step: step + 1, maxSteps: settings.maxNewTokens, partial: partial)) else {
                    throw DemoCancelled()
                }
            }
            captions.append(text)
        }
        let total = Date().timeIntervalSince(start) * 1000
        return CaptionResult(captions: captions, tokenIDs: captions.map { $0.split(separator: " ").indices.map { $0 + 4 } },
                             encodeMs: encodeMs, decodeMs: total - encodeMs)
    }
}
