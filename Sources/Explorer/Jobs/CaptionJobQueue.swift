import Foundation

/// The queue worker threads pull from. The UI thread replaces the whole plan whenever the
/// selection moves; running jobs that fell out of the plan are cancelled so the new selection is
/// captioned first instead of waiting for a face the user has left.
public final class CaptionJobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [CaptionJob] = []
    private var running: [SlotKey: (job: CaptionJob, token: CancelToken)] = [:]
    private var closed = false

    public init() {}

    /// Replaces what waits; returns the keys of real (not cache-only) jobs now waiting.
    @discardableResult
    public func replacePlan(_ plan: CaptionPlan) -> [SlotKey] {
        condition.lock()
        defer { condition.unlock() }
        let jobs = plan.jobs
        for (key, entry) in running where !entry.job.cacheOnly && !plan.window.contains(key) {
            entry.token.cancel(byUser: false)
        }
        pending = jobs.filter { running[$0.key] == nil }
        condition.broadcast()
        return pending.filter { !$0.cacheOnly }.map(\.key)
    }

    /// Blocks until a job is available; nil once the queue is closed.
    public func next() -> (CaptionJob, CancelToken)? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !closed { condition.wait() }
        if closed { return nil }
        let job = pending.removeFirst()
        let token = CancelToken()
        running[job.key] = (job, token)
        return (job, token)
    }

    public func finished(_ key: SlotKey) {
        condition.lock()
        running[key] = nil
        condition.unlock()
    }

    /// Esc: drop everything waiting and stop everything running.
    public func cancelAll() {
        condition.lock()
        pending.removeAll()
        for entry in running.values { entry.token.cancel(byUser: true) }
        condition.unlock()
    }

    /// Shut down: workers return from `next()` once their current job stops.
    public func close() {
        condition.lock()
        closed = true
        pending.removeAll()
        for entry in running.values { entry.token.cancel(byUser: false) }
        condition.broadcast()
        condition.unlock()
    }

    public var counts: (pending: Int, running: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (pending.filter { !$0.cacheOnly }.count, running.values.filter { !$0.job.cacheOnly }.count)
    }
}
