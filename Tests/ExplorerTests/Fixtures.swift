import Captioning
import Faces
import Foundation
@testable import Explorer
@testable import TerminalUI
import TerminalTesting

/// A captioner for tests: fixed captions per emotion, optional per-token delay, counts its runs.
final class ScriptedCaptioner: FaceCaptioner, @unchecked Sendable {
    let name: String
    let identity: String
    let defaultSettings = DecodingSettings()
    let tokenDelay: useconds_t
    let extraWords: Int
    private let lock = NSLock()
    private var count = 0
    var runs: Int { lock.withLock { count } }

    init(name: String, tokenDelay: useconds_t = 0, extraWords: Int = 0) {
        self.name = name
        identity = "test:\(name)"
        self.tokenDelay = tokenDelay
        self.extraWords = extraWords
    }

    func caption(_ image: RGBImage, settings: DecodingSettings, progress: @escaping (CaptionProgress) -> Bool) throws -> CaptionResult {
        lock.withLock { count += 1 }
        _ = progress(.encoding)
        let words = "\(name) sees a face of width \(image.width)".split(separator: " ") + Array(repeating: "again", count: extraWords)
        for i in words.indices {
            if tokenDelay > 0 { usleep(tokenDelay) }
            guard progress(.decoding(step: i + 1, maxSteps: max(20, words.count), partial: words[...i].joined(separator: " "))) else {
                throw TestCancelled()
            }
        }
        return CaptionResult(captions: [words.joined(separator: " ")], tokenIDs: [[1]], encodeMs: 1, decodeMs: 2)
    }
}

struct TestCancelled: Error {}

enum Fixtures {
    static let emotions = ["happiness", "sadness", "anger", "happiness", "fear", "surprise"]

    static func items() -> [FaceItem] {
        emotions.enumerated().map { i, e in
            FaceItem(id: "set/\(e)_\(i).png", source: .inlineGrey(width: 2, height: 2, pixels: [0, 0, 0, 0]),
                     labels: FaceLabels(emotion: e, actionUnits: e == "happiness" ? [.init(number: 6, intensity: 2), .init(number: 12)] : [.init(number: 4)]))
        }
    }

    static func state(models: Int = 2) -> ExplorerState {
        ExplorerState(items: items(), models: (0..<models).map { .loaded(ScriptedCaptioner(name: "M\($0)")) }, themeCount: 3)
    }

    static let layout = ScreenLayout.compute(width: 100, height: 30, modelCount: 2, focusedPane: 0)

    static func outcome(_ caption: String, disagree: Bool = false, settings: DecodingSettings = DecodingSettings()) -> CaptionOutcome {
        CaptionOutcome(result: CaptionResult(captions: [caption], tokenIDs: [[1]], encodeMs: 10, decodeMs: 20),
                       settings: settings, fromCache: false,
                       highlights: [CaptionHighlights(disagreeingEmotions: disagree ? ["happiness"] : [])], wallMs: 30)
    }
}
