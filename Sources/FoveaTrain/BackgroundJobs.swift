import Foundation

/// Runs jobs one at a time, in order, off the calling thread (the run folder's charts and
/// summary, while training goes on). Keeps the first error and the last job's result for `finish`.
final class BackgroundJobs: @unchecked Sendable {
    private let queue = DispatchQueue(label: "fovea.run-report")
    // Guards `error` and `result`, which the queue's thread writes and `finish` reads.
    private let lock = NSLock()
    private var error: Error?
    private var result: String?

    /// Queues `job`; it runs after every job queued before it.
    func submit(_ job: @escaping @Sendable () throws -> String?) {
        queue.async {
            do {
                let value = try job()
                self.lock.withLock { self.result = value }
            } catch {
                self.lock.withLock { if self.error == nil { self.error = error } }
            }
        }
    }

    /// Waits until every queued job has run.
    func wait() { queue.sync {} }

    /// Waits, then throws the first error of a job, or returns the last job's result.
    func finish() throws -> String? {
        wait()
        return try lock.withLock {
            defer { error = nil }
            if let error { throw error }
            return result
        }
    }
}
