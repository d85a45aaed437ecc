import Dispatch
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import RegistryDomain

/// The registry file as the server uses it: SQLite calls are synchronous, so
/// they run on a thread pool of their own, never on the event loop.
///
/// Pages read through a small set of read-only connections (WAL lets them
/// read while a write is under way); every write goes through one writer
/// connection, one at a time, in `Registry.write` like any CLI command.
final class RegistryPool: @unchecked Sendable {
    let path: String
    private let threads: NIOThreadPool
    private let readersLock = NIOLock()
    private var idleReaders: [Registry] = []
    private let writer: Registry
    private let writerLock = NIOLock()

    /// Opens the writer at once (refusing a missing or outdated file before
    /// the server listens); readers are opened as they are first needed.
    init(path: String, threads: Int) throws {
        self.path = path
        writer = try Registry.open(at: path)
        self.threads = NIOThreadPool(numberOfThreads: threads)
        self.threads.start()
    }

    func shutdown() async throws {
        try await threads.shutdownGracefully()
    }

    /// Runs `body` on a read-only connection, in one read transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (Registry) throws -> T) async throws -> T {
        try await threads.runIfActive { [self] in
            let registry = try takeReader()
            defer { giveBack(registry) }
            return try registry.read { try body(registry) }
        }
    }

    /// Runs `body` on the one writer connection; `body` calls `Registry.write`.
    func write<T: Sendable>(_ body: @escaping @Sendable (Registry) throws -> T) async throws -> T {
        try await threads.runIfActive { [self] in
            try writerLock.withLock { try body(writer) }
        }
    }

    private func takeReader() throws -> Registry {
        if let reader = readersLock.withLock({ idleReaders.popLast() }) { return reader }
        return try Registry.open(at: path, readOnly: true)
    }

    private func giveBack(_ reader: Registry) {
        readersLock.withLock { idleReaders.append(reader) }
    }
}
