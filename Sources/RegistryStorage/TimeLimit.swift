import Foundation
import RegistrySQLite3

/// A deadline for the statements a connection steps: SQLite's progress
/// handler ("invoked periodically during long running calls to
/// sqlite3_step(); if the progress callback returns non-zero, the operation
/// is interrupted") returns non-zero once the deadline has passed, and the
/// statement fails with SQLITE_INTERRUPT. For user-supplied SQL, such as a
/// custom audit rule whose recursive CTE never ends.
final class Deadline: @unchecked Sendable {
    let end: UInt64
    let cancellation: Cancellation?

    init(seconds: Double, cancellation: Cancellation?) {
        let nanoseconds = seconds.isFinite ? UInt64(min(max(0, seconds), 1e9) * 1_000_000_000) : UInt64.max / 2
        end = DispatchTime.now().uptimeNanoseconds + nanoseconds
        self.cancellation = cancellation
    }

    var passed: Bool { cancellation?.isCancelled == true || DispatchTime.now().uptimeNanoseconds >= end }
}

/// A flag another thread sets to stop what a connection is running (Ctrl-C
/// during an audit): the progress handler sees it at the next check.
public final class Cancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }
}

extension Database {
    /// Runs `body`; any statement stepped meanwhile is interrupted once
    /// `seconds` have passed (it throws an `SQLiteError` whose
    /// `isInterrupted` is true). The handler is removed afterwards.
    ///
    /// - parameter cancellation: stops the statement as soon as it is cancelled, deadline or not.
    public func withTimeLimit<T>(seconds: Double, cancellation: Cancellation? = nil, _ body: () throws -> T) rethrows -> T {
        let deadline = Deadline(seconds: seconds, cancellation: cancellation)
        let context = Unmanaged.passRetained(deadline)
        // Every 1,000 virtual-machine instructions: a few microseconds apart.
        sqlite3_progress_handler(
            handle, 1_000,
            { pointer in
                Unmanaged<Deadline>.fromOpaque(pointer!).takeUnretainedValue().passed ? 1 : 0
            }, context.toOpaque())
        defer {
            sqlite3_progress_handler(handle, 0, nil, nil)
            context.release()
        }
        return try body()
    }
}
