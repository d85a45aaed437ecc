import NIOConcurrencyHelpers

/// Figures that take a pass over every project (the dashboard's report, the
/// list's filter counts), kept per data version (the change log's head).
///
/// When a write moves the version on, the first request to see it
/// recomputes; requests that come while it does are given the previous
/// figures (their page names the version those figures are of), so a burst
/// of writes never makes every reader wait for a full pass.
final class FigureCache: Sendable {
    private struct Entry {
        var version: String
        var value: any Sendable
        var refreshing: Bool
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    private let capacity = 256

    /// The value of `key` at `version`, or while another request recomputes
    /// it, the one before (with the version it is of).
    func value<T: Sendable>(_ key: String, version: String, _ compute: () throws -> T) rethrows -> (value: T, version: String) {
        // nil: this request computes.
        let cached: (T, String)? = entries.withLockedValue { entries in
            guard var entry = entries[key], let value = entry.value as? T else { return nil }
            if entry.version.utf8.elementsEqual(version.utf8) || entry.refreshing { return (value, entry.version) }
            entry.refreshing = true
            entries[key] = entry
            return nil
        }
        if let (value, at) = cached { return (value, at) }
        do {
            let value = try compute()
            entries.withLockedValue { entries in
                if entries.count >= capacity { entries.removeAll() }
                entries[key] = Entry(version: version, value: value, refreshing: false)
            }
            return (value, version)
        } catch {
            entries.withLockedValue { entries in entries[key]?.refreshing = false }
            throw error
        }
    }
}
