import Foundation

/// The language messages are shown in: Chinese by default (the people who
/// read them work in Chinese), English on request.
public enum Language: String, Sendable, CaseIterable {
    case zh
    case en

    /// `--lang` if given, else the locale of the environment: English when
    /// `LC_ALL`, `LC_MESSAGES` or `LANG` (the first one set) starts with `en`,
    /// Chinese otherwise (also for `C` and `POSIX`, the default of servers).
    public static func chosen(option: String?, environment: [String: String]) -> Language? {
        if let option { return Language(tag: option) }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                return value.lowercased().hasPrefix("en") ? .en : .zh
            }
        }
        return .zh
    }

    /// `zh`, `zh-CN`, `zh_CN.UTF-8`, `chinese`, `中文`; `en`, `en-US`, `english`.
    public init?(tag: String) {
        let lowered = tag.lowercased()
        if lowered.hasPrefix("zh") || lowered == "chinese" || tag == "中文" {
            self = .zh
        } else if lowered.hasPrefix("en") {
            self = .en
        } else {
            return nil
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var chosenForProcess = Language.zh

    /// The language of this process's messages: set once by the front end at
    /// start (`--lang`, `LANG`); what `description` of a message renders in.
    public static var current: Language {
        get { lock.withLock { chosenForProcess } }
        set { lock.withLock { chosenForProcess = newValue } }
    }
}
