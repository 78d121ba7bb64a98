import Dispatch
import Foundation

/// Runs recognitions on one background thread, newest request first: while a clip plays, windows
/// the screen has already moved past are dropped instead of queueing up behind the UI.
final class RecognitionWorker: @unchecked Sendable {
    private let recognizer: ExplorerRecognizer
    private let dataset: ExplorerDataset
    private let inbox: EventInbox
    private let thread = DispatchQueue(label: "facecap.explorer.recognizer", qos: .userInitiated)
    private let lock = NSLock()
    private var pending: [RecognitionKey] = []
    private var busy = false

    init(recognizer: ExplorerRecognizer, dataset: ExplorerDataset, inbox: EventInbox) {
        self.recognizer = recognizer
        self.dataset = dataset
        self.inbox = inbox
    }

    /// Asks for these recognitions, most wanted first; replaces whatever was waiting.
    func want(_ keys: [RecognitionKey]) {
        lock.lock()
        pending = keys
        let start = !busy && !pending.isEmpty
        if start { busy = true }
        lock.unlock()
        if start { thread.async { self.drain() } }
    }

    private func drain() {
        while true {
            lock.lock()
            guard !pending.isEmpty else { busy = false; lock.unlock(); return }
            let key = pending.removeFirst()
            lock.unlock()
            guard let recognize = recognizer.recognize else { continue }
            inbox.post(.recognitionStarted(key))
            do {
                inbox.post(.recognized(key, try recognize(dataset.items[key.item], key.window)))
            } catch {
                inbox.post(.recognitionFailed(key, "\(error)"))
            }
        }
    }
}
