import Foundation
import NIOConcurrencyHelpers

/// Failed sign-ins, counted per account and per address over a window;
/// past the limit the form is refused without checking the password (so
/// that guessing costs the guesser time, and bcrypt cannot be used to load
/// the server).
final class LoginThrottle: Sendable {
    struct Limits: Sendable {
        var perAccount = 5
        var perAddress = 20
        var window: TimeInterval = 15 * 60
    }

    let limits: Limits
    private let state = NIOLockedValueBox<[String: [Date]]>([:])

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Seconds to wait before the next try of `account` from `address`, or nil when allowed.
    func retryAfter(account: String, address: String, now: Date = Date()) -> Int? {
        state.withLockedValue { failures in
            var wait: TimeInterval = 0
            for (key, limit) in [("u:" + account, limits.perAccount), ("a:" + address, limits.perAddress)] {
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < limits.window }
                failures[key] = recent
                if recent.count >= limit, let oldest = recent.first {
                    wait = max(wait, limits.window - now.timeIntervalSince(oldest))
                }
            }
            return wait > 0 ? Int(wait.rounded(.up)) : nil
        }
    }

    func failed(account: String, address: String, now: Date = Date()) {
        state.withLockedValue { failures in
            failures["u:" + account, default: []].append(now)
            failures["a:" + address, default: []].append(now)
        }
    }

    /// A successful sign-in clears the account's count (not the address's).
    func succeeded(account: String) {
        state.withLockedValue { failures in failures["u:" + account] = nil }
    }
}
