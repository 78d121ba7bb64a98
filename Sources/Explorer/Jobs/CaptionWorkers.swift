import Captioning
import Faces
import Foundation

/// Threads that take jobs from the queue: ask the cache, else load the face and run the model,
/// reporting progress; then store the result and analyse its captions for highlighting. None of
/// this ever runs on the UI thread.
public final class CaptionWorkers: @unchecked Sendable {
    private let queue: CaptionJobQueue
    private let inbox: EventInbox
    private let images: ImageStore
    private let dataset: ExplorerDataset
    private let models: [ExplorerModel]
    private let services: ExplorerServices
    private var threads: [Thread] = []
    private let done = DispatchGroup()

    public init(queue: CaptionJobQueue, inbox: EventInbox, images: ImageStore, dataset: ExplorerDataset,
                models: [ExplorerModel], services: ExplorerServices) {
        self.queue = queue
        self.inbox = inbox
        self.images = images
        self.dataset = dataset
        self.models = models
        self.services = services
    }

    public func start(count: Int) {
        for i in 0..<max(1, count) {
            done.enter()
            let thread = Thread { [self] in
                while let (job, token) = queue.next() {
                    let last = run(job, token)
                    // Off the queue's running list before the UI hears of it: the event's redraw
                    // is the last one, and must not still count this job as running.
                    queue.finished(job.key)
                    if let last { inbox.post(last) }
                }
                done.leave()
            }
            thread.name = "facecap-caption-\(i)"
            thread.stackSize = 8 << 20
            threads.append(thread)
            thread.start()
        }
    }

    /// Closes the queue and waits (bounded) for running jobs to notice their cancellation.
    public func stop(timeout: TimeInterval = 2) {
        queue.close()
        _ = done.wait(timeout: .now() + timeout)
    }

    /// Runs one job, posting its progress; returns the event that ends it, for the caller to post
    /// once the queue no longer counts the job as running.
    func run(_ job: CaptionJob, _ token: CancelToken) -> WorkerEvent? {
        let model = models[job.key.model]
        guard let captioner = model.captioner else { return nil }
        let item = dataset.items[job.key.item]
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsedMs() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

        if !job.force, let cached = services.cache.lookup(item, captioner.identity, job.settings) {
            return .finished(job.key, outcome(cached, job, item, fromCache: true, wallMs: elapsedMs()))
        }
        if job.cacheOnly { return .cacheMiss(job.key) }
        inbox.post(.started(job.key))
        let image: RGBImage
        switch images.image(job.key.item) {
        case let .success(loaded): image = loaded
        case let .failure(error):
            return .failed(job.key, "cannot load face: \(error)")
        }
        do {
            let result = try captioner.caption(image, settings: job.settings) { [inbox] progress in
                if token.isCancelled { return false }
                inbox.post(.progress(job.key, progress))
                return true
            }
            services.cache.store(result, item, captioner.identity, job.settings)
            return .finished(job.key, outcome(result, job, item, fromCache: false, wallMs: elapsedMs()))
        } catch where error is CaptionCancelled || token.isCancelled {
            // Any error after we asked to stop counts as the stop (captioners outside Captioning
            // cannot construct CaptionCancelled).
            return .cancelled(job.key, byUser: token.cancelledByUser)
        } catch {
            return .failed(job.key, "\(error)")
        }
    }

    func outcome(_ result: CaptionResult, _ job: CaptionJob, _ item: FaceItem, fromCache: Bool, wallMs: Double) -> CaptionOutcome {
        let highlights = result.captions.map { services.analyzer($0, item.labels) }
        return CaptionOutcome(result: result, settings: job.settings, fromCache: fromCache,
                              highlights: highlights, wallMs: wallMs)
    }
}
