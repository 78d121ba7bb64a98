import Foundation

/// Worker threads post events here; the UI thread drains them. Posting also writes a byte to a
/// pipe the UI thread polls together with the terminal, so a finished caption wakes the loop at
/// once without busy-waiting.
public final class EventInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [WorkerEvent] = []
    public let wakeReadFD: Int32
    private let wakeWriteFD: Int32

    public init() {
        var fds: [Int32] = [0, 0]
        if pipe(&fds) != 0 { fds = [-1, -1] }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
        for fd in fds where fd >= 0 {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(wakeReadFD)
        close(wakeWriteFD)
    }

    public func post(_ event: WorkerEvent) {
        lock.withLock { events.append(event) }
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1) // a full pipe already means "wake up"
    }

    public func drain() -> [WorkerEvent] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(wakeReadFD, &buffer, buffer.count) > 0 {}
        return lock.withLock {
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }
}
