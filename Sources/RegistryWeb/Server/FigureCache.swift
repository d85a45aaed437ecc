import Foundation
import NIOConcurrencyHelpers
import RegistryDomain

/// Figures that take a pass over every project (the dashboard, the list's
/// filter counts), kept per data version (the change log's head).
///
/// A write moves the version on. The figures are then recomputed by the
/// next request, but at most once a `refreshInterval` (1 s): requests in
/// between get the figures of the version before, and each page names the
/// version its figures are of. So a steady stream of writes (ten a second)
/// costs one pass a second, not ten, and readers never wait for it. The one
/// exception is the person who wrote: a request that must include a version
/// (their own last write, `atLeast`) recomputes if the kept figures are older.
final class FigureCache: Sendable {
    private struct Entry {
        var head: LogHead
        var value: any Sendable
        var computedAt: Date
        var refreshing: Bool
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    private let capacity = 256
    let refreshInterval: TimeInterval

    init(refreshInterval: TimeInterval = 1) {
        self.refreshInterval = refreshInterval
    }

    /// The value of `key` at `head`, or a recent one before it (see above),
    /// with the version it is of.
    func value<T: Sendable>(_ key: String, head: LogHead, atLeast: Int64? = nil, _ compute: () throws -> T) rethrows -> (value: T, head: LogHead) {
        let now = Date()
        // nil: this request computes.
        let cached: (T, LogHead)? = entries.withLockedValue { entries in
            guard var entry = entries[key], let value = entry.value as? T else { return nil }
            if entry.head.hash.utf8.elementsEqual(head.hash.utf8) { return (value, entry.head) }
            let recentEnough = atLeast.map { entry.head.seq >= $0 } ?? true
            if recentEnough && (entry.refreshing || now.timeIntervalSince(entry.computedAt) < refreshInterval) { return (value, entry.head) }
            entry.refreshing = true
            entries[key] = entry
            return nil
        }
        if let (value, at) = cached { return (value, at) }
        do {
            let value = try compute()
            entries.withLockedValue { entries in
                if entries.count >= capacity { entries.removeAll() }
                // A slower computation of an older version never replaces a newer one.
                if let kept = entries[key], kept.head.seq > head.seq {
                    entries[key]?.refreshing = false
                    return
                }
                entries[key] = Entry(head: head, value: value, computedAt: Date(), refreshing: false)
            }
            return (value, head)
        } catch {
            entries.withLockedValue { entries in entries[key]?.refreshing = false }
            throw error
        }
    }
}

/// The version each session's last write left the log at, so that its next
/// page shows it (`FigureCache`'s `atLeast`). Keyed by the session's CSRF
/// token, which is its own and never leaves the server but in its pages.
final class LastWrites: Sendable {
    private let heads = NIOLockedValueBox<[String: Int64]>([:])

    func record(_ session: String, _ seq: Int64) {
        heads.withLockedValue { heads in
            if heads.count > 10_000 { heads.removeAll() }
            heads[session] = max(heads[session] ?? 0, seq)
        }
    }

    func of(_ session: String) -> Int64? { heads.withLockedValue { $0[session] } }
}
