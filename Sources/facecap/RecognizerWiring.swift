import CaptionStore
import Explorer
import Faces
import Foundation
import Recognition
import Tensor

/// The explorer's recognizer pane filled with the real DFER-CLIP and its cache table: one
/// lookup-or-run per (weights, face content, frame window).
enum RecognizerWiring {
    /// The first recognizer among the model folders (or the one given), loaded; nil when there is none.
    static func explorerRecognizer(_ path: URL?, cache: RecognitionCache?, decode: @escaping @Sendable (URL) throws -> RGBImage) -> ExplorerRecognizer? {
        guard let path else { return nil }
        let name = path.lastPathComponent
        do {
            let recognizer = try RecognizerLoader.load(path.path)
            return ExplorerRecognizer(name: name, classes: recognizer.classes, windowFrames: recognizer.segments) { item, window in
                try recognize(item, window: window, recognizer: recognizer, name: name, cache: cache, decode: decode)
            }
        } catch {
            return .failed(name: name, error: "\(error)")
        }
    }

    static func recognize(_ item: FaceItem, window: Range<Int>?, recognizer: DFERCLIPRecognizer, name: String,
                          cache: RecognitionCache?, decode: (URL) throws -> RGBImage) throws -> RecognizerResult {
        let frames: [URL]
        switch item.source {
        case let .frames(urls): frames = window.map { Array(urls[$0.clamped(to: urls.indices)]) } ?? urls
        case let .file(url): frames = [url]
        case .inlineGrey: frames = []
        }
        let windowKey = window.map { "\($0.lowerBound)-\($0.upperBound - 1)" } ?? "all"
        let hash = try? item.contentHash()
        if let cache, let hash, let data = try? cache.lookup(model: recognizer.fingerprint, imageHash: hash, frames: windowKey),
           let cached = try? JSONDecoder().decode(Recognition.self, from: data) {
            return RecognizerResult(classes: cached.classes, probs: cached.probs, frames: cached.frames, fromCache: true)
        }
        let result: Recognition
        if frames.isEmpty {
            // Inline pixels (FER2013): a still with no file.
            let image = try item.loadImage(decodeFile: decode)
            result = recognizer.recognize(images: [image], order: [Int](repeating: 0, count: recognizer.segments),
                                          frameIndices: [Int](repeating: 0, count: recognizer.segments))
        } else {
            var r = try recognizer.recognize(FrameClip(path: item.id, frames: frames), decode: decode)
            if let window { r.frames = r.frames.map { $0 + window.lowerBound } }
            result = r
        }
        if let cache, let hash, let data = try? JSONEncoder().encode(result) {
            try? cache.store(data, model: recognizer.fingerprint, modelName: name, imageHash: hash, imageID: item.id, frames: windowKey)
        }
        return RecognizerResult(classes: result.classes, probs: result.probs, frames: result.frames)
    }
}
