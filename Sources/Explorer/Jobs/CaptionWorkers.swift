import CaptionStore
import Captioning
import Faces
import Foundation

/// Threads that take jobs from the queue and caption through `CachedCaptioning` (ask the cache,
/// else load the face and run the model, reporting progress, and store the result), then analyse
/// the captions for highlighting. None of this ever runs on the UI thread.
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
        let policy: CachedCaptioning.Policy = job.cacheOnly ? .lookupOnly : job.force ? .run : .lookupOrRun
        do {
            guard let done = try services.captioning.caption(
                item, with: captioner, settings: job.settings, policy: policy,
                recordAttention: job.recordAttention, occlusion: job.key.occlusion,
                loadImage: { [images] in
                    do { return try images.image(job.key.item).get() } catch { throw FaceUnreadable(error: error) }
                },
                willRun: { [inbox] in inbox.post(.started(job.key)) },
                progress: { [inbox] progress in
                    if token.isCancelled { return false }
                    inbox.post(.progress(job.key, progress))
                    return true
                })
            else { return .cacheMiss(job.key) }
            return .finished(job.key, outcome(done.result, job, item, fromCache: done.fromCache, wallMs: elapsedMs(),
                                              captioner: captioner))
        } catch let error as FaceUnreadable {
            return .failed(job.key, "cannot load face: \(error.error)")
        } catch where error is CaptionCancelled || token.isCancelled {
            // Any error after we asked to stop counts as the stop (captioners outside Captioning
            // cannot construct CaptionCancelled).
            return .cancelled(job.key, byUser: token.cancelledByUser)
        } catch {
            return .failed(job.key, "\(error)")
        }
    }

    /// The face's image did not load (as opposed to the model failing on it).
    struct FaceUnreadable: Error { var error: Error }

    func outcome(_ result: CaptionResult, _ job: CaptionJob, _ item: FaceItem, fromCache: Bool, wallMs: Double,
                 captioner: FaceCaptioner) -> CaptionOutcome {
        let highlights = result.captions.map { services.analyzer($0, item.labels) }
        // Words lined up with tokens here, off the UI thread (it decodes every prefix of the caption).
        let words = zip(result.captions, result.tokenIDs).map { caption, ids in
            CaptionWords.align(caption: caption, pieces: captioner.tokenPieces(ids))
        }
        return CaptionOutcome(result: result, settings: job.settings, fromCache: fromCache,
                              highlights: highlights, wallMs: wallMs, words: words, attentionAsked: job.recordAttention)
    }
}
