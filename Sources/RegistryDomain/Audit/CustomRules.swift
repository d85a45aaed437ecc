import Foundation

/// Rules that auditors write themselves: `.sql` files in a folder, each one
/// SELECT returning the finding columns, with a header of `--` comments:
///
///     -- id: large-payment
///     -- severity: warning
///     -- title: 大额付款 | Large payment
///     -- explanation: One payment above the amount.
///     -- param: large-amount = 1000万
///     SELECT d.id AS disbursement, d.amount_fen AS amount_fen, d.paid_on AS date,
///            '单笔付款 ' || money(d.amount_fen) AS reason
///     FROM disbursement AS d WHERE d.amount_fen > :large_amount AND d.paid_on <= :as_of
///
/// Everything but the SQL is optional: the id defaults to the file name, the
/// severity to warning. A parameter's default is a whole number or an amount.
enum CustomRules {
    /// The rules in `directory`, and what was refused without stopping the
    /// audit (a file name that is not UTF-8: it names no rule anyone could
    /// have meant to edit, and must not stop the other rules).
    ///
    /// - throws: `AuditError.badRule` for a rule that cannot run, and for a
    ///   symbolic link that leads out of the folder (a rules folder is the
    ///   auditors' own; a link to /etc/shadow must not print it).
    static func load(from directory: String) throws -> (rules: [AuditRule], refused: [String]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AuditError.badRulesDirectory(directory)
        }
        var refused: [String] = []
        var names: [String] = []
        for raw in try rawNames(in: directory) where raw.count > 4 && raw.suffix(4).elementsEqual(".sql".utf8) {
            guard let name = String(validating: raw, as: UTF8.self) else {
                let shown = String(decoding: raw, as: UTF8.self)
                refused.append("custom rule file \"\(shown)\" in \(directory): not run: its name is not UTF-8 text; rename it")
                continue
            }
            names.append(name)
        }
        let folder = resolved(directory) ?? directory
        var seen = Set(BuiltinRules.all.map(\.id))
        let rules = try names.sorted().map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            guard let real = resolved(path), real.utf8.starts(with: (folder + "/").utf8) else {
                throw AuditError.badRule(file: path, reason: "is a symbolic link to a file outside the rules folder; copy the rule into the folder instead")
            }
            guard let data = FileManager.default.contents(atPath: real), let text = String(data: data, encoding: .utf8) else {
                throw AuditError.badRule(file: path, reason: "cannot be read as UTF-8 text")
            }
            let rule = try parse(text, file: path, defaultID: String(name.dropLast(4)))
            guard seen.insert(rule.id).inserted else {
                throw AuditError.badRule(file: path, reason: "its id \(rule.id) is already the id of another rule; give it its own with `-- id: ...`")
            }
            return rule
        }
        return (rules, refused)
    }

    /// File names as the file system has them: bytes, which need not be UTF-8.
    private static func rawNames(in directory: String) throws -> [[UInt8]] {
        guard let handle = opendir(directory) else { throw AuditError.badRulesDirectory(directory) }
        defer { closedir(handle) }
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            names.append(name)
        }
        return names
    }

    /// The path with every symbolic link resolved, or nil when it leads nowhere.
    private static func resolved(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    static func parse(_ text: String, file: String, defaultID: String) throws -> AuditRule {
        func refuse(_ reason: String) -> AuditError { .badRule(file: file, reason: reason) }
        var header: [String: String] = [:]
        var parameters: [AuditParameter] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("--") else { continue }
            let comment = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard let colon = comment.firstIndex(of: ":") else { continue }
            let key = comment[..<colon].lowercased().trimmingCharacters(in: .whitespaces)
            let value = comment[comment.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "param" {
                let parts = value.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, isRuleName(parts[0]) else {
                    throw refuse("the line `-- param: \(value)` is not `-- param: name = default` (name: lower-case letters, digits and hyphens)")
                }
                if let number = Int64(parts[1]) {
                    parameters.append(AuditParameter(name: parts[0], kind: .integer, defaultValue: number, help: "custom"))
                } else if let amount = try? Money.parse(parts[1]) {
                    parameters.append(AuditParameter(name: parts[0], kind: .amount, defaultValue: amount.fen, help: "custom"))
                } else {
                    throw refuse("the default of parameter \(parts[0]), \"\(parts[1])\", is neither a whole number nor an amount")
                }
            } else if ["id", "severity", "title", "explanation"].contains(key), header[key] == nil {
                header[key] = value
            }
        }
        let id = header["id"] ?? defaultID
        guard isRuleName(id) else {
            throw refuse("the id \"\(id)\" is not accepted; accepted: lower-case letters, digits and hyphens, e.g. large-payment")
        }
        let severity: AuditSeverity
        do {
            severity = try header["severity"].map { try AuditSeverity.parse($0, field: "severity") } ?? .warning
        } catch let error as InvalidValue {
            throw refuse("severity \"\(error.value)\" is not accepted; accepted: error, warning, info")
        }
        let titles = (header["title"] ?? id).split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        return AuditRule(
            id: id, severity: severity, titleZh: titles[0], titleEn: titles.count > 1 ? titles[1] : titles[0],
            explanation: header["explanation"] ?? "Custom rule from \((file as NSString).lastPathComponent).",
            parameters: parameters, sql: text, file: file
        )
    }

    static func isRuleName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
    }
}

/// Why an audit could not run (as opposed to what it found).
public enum AuditError: Error, Equatable, Sendable, MessageDescribed {
    /// `--rule` named no rule.
    case unknownRule(String, known: [String])
    /// `--param` named no parameter of the rules being run.
    case unknownParameter(String, known: [String])
    /// `--param` without `=`.
    case malformedParameter(String)
    case badRulesDirectory(String)
    /// A custom rule that cannot run: bad SQL, not a SELECT, a write.
    case badRule(file: String, reason: String)
    /// The audit was stopped (Ctrl-C) before it finished: no findings are reported.
    case cancelled
    /// A rule of the catalogue did not prepare: a defect of registry itself (exit 70).
    case builtInRuleFailed(rule: String, reason: String)
    /// SQLite's integrity check failed on a table the rules read: findings
    /// read through a damaged index cannot be trusted, so none are given.
    case damagedFile(problems: [String])

    public var message: Message {
        switch self {
        case .unknownRule(let id, let known):
            "rule \"\(id)\" does not exist; accepted: \(known.joined(separator: ", "))"
        case .unknownParameter(let name, let known):
            "param \"\(name)\" is not a parameter of the rules being run; accepted: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
        case .malformedParameter(let text):
            "param \"\(text)\" is not accepted; accepted: name=value, e.g. idle-days=180"
        case .badRulesDirectory(let path):
            "rules-dir \"\(path)\": no such folder"
        case .badRule(let file, let reason):
            "custom rule \(file): \(reason)"
        case .cancelled:
            "the audit was interrupted before it finished; no findings are reported"
        case .builtInRuleFailed(let rule, let reason):
            "built-in rule \(rule) cannot run: \(reason); this is a defect of registry, please report it"
        case .damagedFile(let problems):
            "the audit did not run: the database fails SQLite's integrity check (\(problems.count) problem(s): \(problems.prefix(3).joined(separator: "; "))); an index that no longer matches its table hides findings"
        }
    }

    /// True for mistakes on the command line (exit 64), false for a bad rule file (65).
    public var isUsage: Bool {
        switch self {
        case .unknownRule, .unknownParameter, .malformedParameter, .badRulesDirectory: true
        case .badRule, .damagedFile, .builtInRuleFailed, .cancelled: false
        }
    }
}
