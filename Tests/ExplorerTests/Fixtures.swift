import Captioning
import Faces
import Foundation
@testable import Explorer

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

/// A character grid with one role per cell, standing in for ncurses.
final class GridCanvas: Canvas {
    let width: Int
    let height: Int
    var chars: [[Character]]
    var roles: [[TextRole]]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        chars = Array(repeating: Array(repeating: " ", count: width), count: height)
        roles = Array(repeating: Array(repeating: .text, count: width), count: height)
    }

    func fill(_ rect: Rect, role: TextRole) {
        for y in max(0, rect.y)..<min(height, rect.maxY) { for x in max(0, rect.x)..<min(width, rect.maxX) {
            chars[y][x] = " "; roles[y][x] = role
        } }
    }

    func text(_ x: Int, _ y: Int, _ string: String, role: TextRole, maxWidth: Int) {
        guard y >= 0, y < height else { return }
        for (i, c) in string.prefix(max(0, maxWidth)).enumerated() where x + i >= 0 && x + i < width {
            chars[y][x + i] = c; roles[y][x + i] = role
        }
    }

    var lines: [String] { chars.map { String($0) } }
    var screen: String { lines.joined(separator: "\n") }

    func role(of needle: String) -> TextRole? {
        for (y, line) in lines.enumerated() {
            if let r = line.range(of: needle) { return roles[y][line.distance(from: line.startIndex, to: r.lowerBound)] }
        }
        return nil
    }
}
