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
                    run(job, token)
                    queue.finished(job.key)
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

    func run(_ job: CaptionJob, _ token: CancelToken) {
        let model = models[job.key.model]
        guard let captioner = model.captioner else { return }
        let item = dataset.items[job.key.item]
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsedMs() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

        // An occluded face exists only in memory: the cache knows it by its pixels' hash.
        var occluded: RGBImage?
        if let region = job.key.occlusion {
            switch images.image(job.key.item) {
            case let .success(loaded): occluded = Occlusion.apply(region, to: loaded)
            case let .failure(error):
                inbox.post(.failed(job.key, "cannot load face: \(error)"))
                return
            }
        }
        func lookup() -> CaptionResult? {
            if let occluded { return services.cache.lookupImage(occluded.pixelHash, captioner.identity, job.settings) }
            return services.cache.lookup(item, captioner.identity, job.settings)
        }
        if !job.force, let cached = lookup(), !job.recordAttention || cached.attention != nil {
            inbox.post(.finished(job.key, outcome(cached, job, item, fromCache: true, wallMs: elapsedMs(), captioner: captioner)))
            return
        }
        if job.cacheOnly {
            inbox.post(.cacheMiss(job.key))
            return
        }
        inbox.post(.started(job.key))
        let image: RGBImage
        if let occluded {
            image = occluded
        } else {
            switch images.image(job.key.item) {
            case let .success(loaded): image = loaded
            case let .failure(error):
                inbox.post(.failed(job.key, "cannot load face: \(error)"))
                return
            }
        }
        do {
            let result = try captioner.caption(image, settings: job.settings, recordAttention: job.recordAttention) { [inbox] progress in
                if token.isCancelled { return false }
                inbox.post(.progress(job.key, progress))
                return true
            }
            if let occluded, let region = job.key.occlusion {
                services.cache.storeImage(result, occluded.pixelHash, region.imageID(of: item.id), captioner.identity, job.settings)
            } else {
                services.cache.store(result, item, captioner.identity, job.settings)
            }
            inbox.post(.finished(job.key, outcome(result, job, item, fromCache: false, wallMs: elapsedMs(), captioner: captioner)))
        } catch where error is CaptionCancelled || token.isCancelled {
            // Any error after we asked to stop counts as the stop (captioners outside Captioning
            // cannot construct CaptionCancelled).
            inbox.post(.cancelled(job.key, byUser: token.cancelledByUser))
        } catch {
            inbox.post(.failed(job.key, "\(error)"))
        }
    }

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
