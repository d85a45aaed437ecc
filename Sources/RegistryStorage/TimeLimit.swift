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

    init(seconds: Double) {
        end = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1_000_000_000)
    }

    var passed: Bool { DispatchTime.now().uptimeNanoseconds >= end }
}

extension Database {
    /// Runs `body`; any statement stepped meanwhile is interrupted once
    /// `seconds` have passed (it throws an `SQLiteError` whose
    /// `isInterrupted` is true). The handler is removed afterwards.
    public func withTimeLimit<T>(seconds: Double, _ body: () throws -> T) rethrows -> T {
        let deadline = Deadline(seconds: seconds)
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
