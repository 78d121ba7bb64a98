import GRDB

/// Raw SQL on a database file, for tests that need a foreign or damaged cache.
enum DatabaseQueueForTests {
    @discardableResult
    static func make(_ path: String, sql: String) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
        return queue
    }
}
