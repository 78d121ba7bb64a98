import Faces

/// Where a clip is in the face view.
public struct Playback: Equatable, Sendable {
    public var item: Int
    public var frame: Int
    public var playing: Bool
}

/// The recognizer pane's part of the state: which recognition the pane shows, playback of clips, and
/// the recognizer's disagreement with the ground truth (it joins the "disagrees" filter).
extension ExplorerState {
    /// Frame shown for a face (0 for stills and clips not yet played).
    public func frame(of item: Int) -> Int { playback?.item == item ? playback!.frame : 0 }

    public func frameCount(of item: Int) -> Int { items[item].frames?.count ?? 1 }

    public var isPlaying: Bool { playback.map { $0.playing && $0.item == selectedItem } ?? false }

    /// The frames recognised while a clip is played or stepped: `windowFrames` consecutive frames
    /// around the one shown (DFER-CLIP's 16), so the pane follows the face view.
    public func window(of item: Int) -> Range<Int>? {
        guard let recognizer, items[item].frames != nil, let p = playback, p.item == item else { return nil }
        let n = frameCount(of: item), w = min(n, recognizer.windowFrames)
        let start = max(0, min(p.frame - w / 2, n - w))
        return start..<(start + w)
    }

    /// The recognition the pane shows for the selected face.
    public var shownRecognition: RecognitionKey? {
        selectedItem.map { RecognitionKey(item: $0, window: window(of: $0)) }
    }

    /// Recognitions to run, most wanted first: what the pane shows, the whole selected clip, the next face.
    public var wantedRecognitions: [RecognitionKey] {
        guard recognizer?.recognize != nil, let item = selectedItem else { return [] }
        var keys = [shownRecognition!, RecognitionKey(item: item, window: nil)]
        if cursor + 1 < visible.count { keys.append(RecognitionKey(item: visible[cursor + 1], window: nil)) }
        var seen = Set<RecognitionKey>()
        return keys.filter { recognitions[$0] == nil && seen.insert($0).inserted }
    }

    /// The recognizer's class (whole clip or still) is not the ground-truth emotion.
    public func recognitionDisagrees(_ item: Int) -> Bool {
        guard case let .done(result)? = recognitions[RecognitionKey(item: item, window: nil)] else { return false }
        return result.disagrees(with: items[item].labels) ?? false
    }

    mutating func handlePlayback(_ command: Command) {
        guard let item = selectedItem, items[item].frames != nil else { return }
        var p = playback?.item == item ? playback! : Playback(item: item, frame: 0, playing: false)
        switch command {
        case .playPause: p.playing.toggle()
        case let .stepFrame(d):
            p.playing = false
            p.frame = max(0, min(frameCount(of: item) - 1, p.frame + d))
        default: return
        }
        playback = p
    }

    /// One playback tick: the next frame, back to the first after the last.
    public mutating func advanceFrame() {
        guard var p = playback, p.playing, p.item == selectedItem else { return }
        p.frame = (p.frame + 1) % frameCount(of: p.item)
        playback = p
    }

    mutating func applyRecognition(_ event: WorkerEvent) -> Bool {
        switch event {
        case let .recognitionStarted(key): recognitions[key] = .running
        case let .recognized(key, result): recognitions[key] = .done(result)
        case let .recognitionFailed(key, message): recognitions[key] = .failed(message)
        default: break
        }
        return false
    }
}
