import Foundation

/// Lets the UI thread stop a running caption job: the captioner's progress callback returns false.
public final class CancelToken: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: Bool? = nil

    public init() {}

    /// - Parameter byUser: Esc (the pane says "cancelled") rather than the selection moving away.
    public func cancel(byUser: Bool) { lock.withLock { if reason == nil { reason = byUser } } }
    public var isCancelled: Bool { lock.withLock { reason != nil } }
    public var cancelledByUser: Bool { lock.withLock { reason ?? false } }
}
