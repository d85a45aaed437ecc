import Foundation
import RegistryStorage

/// What to audit: `audit run [--year] [--as-of] [--rule ...] [--param k=v] [--rules-dir]`.
public struct AuditRequest: Sendable {
    public var year: Int?
    /// Default: today.
    public var asOf: ISODate?
    /// Rule ids to run; empty runs the whole catalogue (and the custom rules).
    public var ruleIDs: [String]
    /// `name=value` overrides, as typed.
    public var parameters: [String]
    public var rulesDirectory: String?
    /// Whether to run `PRAGMA integrity_check` on each table the rules read
    /// before they run (see `Auditor.run`).
    public var integrityCheck: IntegrityCheck = .auto
    /// Seconds each rule may run before it is stopped and reported as an
    /// error of that rule (the other rules still run).
    public var ruleTimeout: Double = AuditRequest.defaultRuleTimeout
    public static let defaultRuleTimeout: Double = 10
    /// Set from another thread (Ctrl-C) to stop the audit; it then throws `AuditError.cancelled`.
    public var cancellation: AuditCancellation?
    /// Rules whose findings are only counted (by severity), not kept: the
    /// year-end report's summary, which shows counts. SQLite counts them
    /// (`count(*)` over the rule's SELECT), so a rule that finds thousands
    /// costs a count, not thousands of findings.
    public var countOnly: Set<String> = []

    public init(year: Int? = nil, asOf: ISODate? = nil, ruleIDs: [String] = [], parameters: [String] = [], rulesDirectory: String? = nil) {
        self.year = year
        self.asOf = asOf
        self.ruleIDs = ruleIDs
        self.parameters = parameters
        self.rulesDirectory = rulesDirectory
    }
}

/// The audit's check of the file it reads. The check reads every page of
/// every table the rules read, with their indexes: on a large registry it
/// costs far more than the rules (about 20 s for a million payments, against
/// 3 s for the rules; a million projects cost seconds where the rules take a
/// tenth of one). So by default (`auto`) it runs while the file is at most
/// `budgetBytes`, and beyond that the result says it was not run and why:
/// `registry check` vouches for the whole file instead.
public enum IntegrityCheck: String, Sendable, CaseIterable {
    case auto, always, never

    /// 64 MiB: a registry of some 100,000 projects, checked in well under a second.
    public static let budgetBytes: Int64 = 64 << 20
}

/// What became of the integrity check in one audit.
public enum IntegrityStatus: Sendable, Equatable {
    case checked
    /// Not run: the request said `never`.
    case declined
    /// Not run: `auto`, and the file holds more than `IntegrityCheck.budgetBytes`.
    case fileTooLarge(bytes: Int64)
}

/// Stops a running audit from another thread (Ctrl-C): `cancel()`.
public typealias AuditCancellation = Cancellation

/// What an audit found, with everything needed to rerun it.
public struct AuditResult: Sendable {
    public let asOf: ISODate
    public let year: Int?
    public let rules: [AuditRule]
    /// The value each parameter had in this run, by name.
    public let parameterValues: [String: Int64]
    /// The findings, on disk until read (see `FindingSpool`).
    let spool: FindingSpool
    /// Seconds each rule took, by rule id (for the benchmark).
    public let seconds: [String: Double]
    /// Custom rule files that were not run, and why (the other rules were).
    public let refusedFiles: [String]
    /// Rules stopped at the time limit, by id, with why: their findings are missing.
    public let stoppedRules: [String: String]
    /// Whether the tables the rules read were checked first.
    public let integrity: IntegrityStatus

    /// False when a rule file was refused or a rule stopped: the findings are not all there.
    public var isComplete: Bool { refusedFiles.isEmpty && stoppedRules.isEmpty }

    /// Findings at or above `severity`.
    public func count(atLeast severity: AuditSeverity) -> Int {
        spool.tally.values.reduce(0) { total, counts in total + counts.filter { $0.key >= severity }.values.reduce(0, +) }
    }

    /// How many findings of `severity` there are.
    public func count(of severity: AuditSeverity) -> Int {
        spool.tally.values.reduce(0) { $0 + ($1[severity] ?? 0) }
    }

    /// How many findings there are in all.
    public var findingCount: Int { spool.tally.values.reduce(0) { $0 + $1.values.reduce(0, +) } }

    /// How many findings `rule` has of `severity`.
    public func count(rule: String, severity: AuditSeverity) -> Int {
        spool.tally[rule]?[severity] ?? 0
    }

    /// Each finding in order (most severe first, then in catalogue order,
    /// then by date), read one at a time from disk: memory stays flat
    /// however many there are. May be called more than once.
    public func forEachFinding(_ body: (AuditFinding) throws -> Void) throws {
        try spool.forEach(body)
    }

    /// Every finding, in order, in memory (for a few; `forEachFinding` for many).
    public var findings: [AuditFinding] {
        var all: [AuditFinding] = []
        try? spool.forEach { all.append($0) }
        return all
    }

    public func findings(of rule: String) -> [AuditFinding] {
        var found: [AuditFinding] = []
        try? spool.forEach(rule: rule) { found.append($0) }
        return found
    }
}

extension Registry {
    /// Runs the audit rules on a read-only connection, in one snapshot.
    ///
    /// - throws: `AuditError` for an unknown rule or parameter or a custom rule
    ///   that cannot run (nothing is run then); `InvalidValue` for a bad
    ///   parameter value.
    public func audit(_ request: AuditRequest, today: ISODate = .today()) throws -> AuditResult {
        try Auditor(connection: .own(path: path), request: request, today: today).run()
    }

    /// The rules `audit rules` lists: the catalogue, then custom rules; and
    /// the custom rule files refused without stopping the audit.
    public static func auditRules(rulesDirectory: String? = nil) throws -> (rules: [AuditRule], refused: [String]) {
        guard let rulesDirectory else { return (BuiltinRules.all, []) }
        let custom = try CustomRules.load(from: rulesDirectory)
        return (BuiltinRules.all + custom.rules, custom.refused)
    }
}

struct Auditor {
    enum Connection {
        /// A read-only connection of the audit's own, in a transaction of its own.
        case own(path: String)
        /// A connection already in a read transaction (the year-end report's),
        /// so that the audit reads the same snapshot as the rest of the report.
        case shared(Database)
    }

    let connection: Connection
    let request: AuditRequest
    let today: ISODate

    func run() throws -> AuditResult {
        let (catalogue, refusedFiles) = try Registry.auditRules(rulesDirectory: request.rulesDirectory)
        let rules = try selectedRules(from: catalogue)
        let values = try parameterValues(for: rules)
        let asOf = request.asOf ?? today
        var bindings: [String: SQLValue] = [
            "as_of": .text(asOf.description),
            "from": .text(request.year.map { "\($0)-01-01" } ?? "0001-01-01"),
            "through": .text(request.year.map { "\($0)-12-31" } ?? "9999-12-31"),
            "first_year": .integer(Int64(request.year ?? 0)),
            "last_year": .integer(Int64(request.year ?? 9999)),
        ]
        for rule in rules {
            for parameter in rule.parameters { bindings[parameter.sqlName] = .integer(values[parameter.name]!) }
        }

        let db: Database
        switch connection {
        case .own(let path):
            // Read-only twice over: the file is opened read-only, and query_only
            // refuses any write the connection might still attempt.
            db = try Database(path: path, mode: .readOnly)
            try db.executeScript("PRAGMA query_only = ON")
            // No memory mapping: mapped pages count as the process's resident
            // memory, which then grows with the file (a million payments: a
            // gigabyte). Pages are read into a page cache of fixed size
            // instead, 16 MiB: the rules read the same indexes several times
            // (see Documentation/Performance.md, "Audit benchmark").
            try db.executeScript("PRAGMA cache_size = -16384")
        case .shared(let shared):
            db = shared
        }
        try Self.defineFunctions(on: db)
        // Rules may read and compute, nothing else: no pragma, no
        // fts3_tokenizer or load_extension (see `ReadOnlyPolicy`).
        let policy = db.allowOnlyReads(functions: ReadOnlyPolicy.pureFunctions.union(Self.functionNames))
        defer { db.removeReadPolicy() }
        // Every rule is checked before any runs, so a bad custom rule stops the
        // audit before it reports half its findings.
        var tablesRead = Set<ExactText>()
        let statements = try rules.map { rule in
            policy.reset()
            defer { tablesRead.formUnion(policy.tablesRead) }
            return try prepare(rule, on: db, bindings: bindings, policy: policy)
        }
        let integrity = try integrityStatus(on: db)
        let spool = try FindingSpool()
        var seconds: [String: Double] = [:]
        var stopped: [String: String] = [:]
        func runAll() throws {
            // The rules read through the indexes; an index whose entries no
            // longer match its table (edited with writable_schema) would hide
            // findings. So each table the rules read is checked first, in the
            // snapshot the rules then read, with its indexes (integrity_check
            // with a table name; quick_check does not compare index content).
            if integrity == .checked {
                do {
                    try db.withoutReadPolicy {
                        try db.withTimeLimit(seconds: .infinity, cancellation: request.cancellation) {
                            try checkIntegrity(of: tablesRead, on: db)
                        }
                    }
                } catch let error as SQLiteError where error.isInterrupted {
                    throw AuditError.cancelled
                }
            }
            for (order, (rule, statement)) in zip(rules, statements).enumerated() {
                let started = Date()
                do {
                    try db.withTimeLimit(seconds: request.ruleTimeout, cancellation: request.cancellation) {
                        if request.countOnly.contains(rule.id) {
                            try count(rule, statement, on: db, bindings: bindings, into: spool)
                        } else {
                            try run(rule, statement, bindings: bindings) { try spool.add($0, ruleOrder: order) }
                        }
                    }
                } catch let error as SQLiteError where error.isInterrupted {
                    statement.reset()
                    if request.cancellation?.isCancelled == true { throw AuditError.cancelled }
                    stopped[rule.id] = "stopped after the time limit of \(request.ruleTimeout) s; its findings are missing"
                }
                seconds[rule.id] = Date().timeIntervalSince(started)
            }
        }
        switch connection {
        case .own: try db.transaction(.deferred, runAll)
        case .shared: try runAll()
        }
        // The spool gives them most severe first, then in catalogue order,
        // then by date, records and payee.
        return AuditResult(
            asOf: asOf, year: request.year, rules: rules, parameterValues: values, spool: spool, seconds: seconds, refusedFiles: refusedFiles,
            stoppedRules: stopped, integrity: integrity)
    }

    private func selectedRules(from catalogue: [AuditRule]) throws -> [AuditRule] {
        guard !request.ruleIDs.isEmpty else { return catalogue }
        return try request.ruleIDs.map { id in
            guard let rule = catalogue.first(where: { $0.id == id }) else {
                throw AuditError.unknownRule(id, known: catalogue.map(\.id))
            }
            return rule
        }
    }

    /// Defaults, overridden by `--param name=value`.
    private func parameterValues(for rules: [AuditRule]) throws -> [String: Int64] {
        let parameters = rules.flatMap(\.parameters)
        var values = Dictionary(parameters.map { ($0.name, $0.defaultValue) }, uniquingKeysWith: { first, _ in first })
        for text in request.parameters {
            guard let equals = text.firstIndex(of: "=") else { throw AuditError.malformedParameter(text) }
            let name = text[..<equals].trimmingCharacters(in: .whitespaces)
            guard let parameter = parameters.first(where: { $0.name == name }) else {
                throw AuditError.unknownParameter(name, known: parameters.map(\.name))
            }
            values[name] = try parameter.parse(String(text[text.index(after: equals)...]))
        }
        return values
    }

    /// Whether this run checks the file (see `IntegrityCheck`).
    private func integrityStatus(on db: Database) throws -> IntegrityStatus {
        switch request.integrityCheck {
        case .always: return .checked
        case .never: return .declined
        case .auto:
            let bytes = try db.withoutReadPolicy {
                (try db.scalar("PRAGMA page_count", as: Int64.self) ?? 0) * (try db.scalar("PRAGMA page_size", as: Int64.self) ?? 0)
            }
            return bytes > IntegrityCheck.budgetBytes ? .fileTooLarge(bytes: bytes) : .checked
        }
    }

    /// `PRAGMA integrity_check(table)` for each table that exists among those read.
    private func checkIntegrity(of tables: Set<ExactText>, on db: Database) throws {
        let existing = Set(try db.rows("SELECT name FROM sqlite_schema WHERE type = 'table'").map { ExactText(try $0.get("name", as: String.self)) })
        var problems: [String] = []
        for table in tables.intersection(existing).sorted() {
            let found = try db.rows("PRAGMA integrity_check(\(JSON.string(table.text)))").map { try $0.get($0.columns[0], as: String.self) }
            problems += found.filter { $0 != "ok" }.map { "\(table.text): \($0)" }
        }
        guard problems.isEmpty else { throw AuditError.damagedFile(problems: problems) }
    }

    /// Prepares a rule and checks that it can only read and returns findings.
    private func prepare(_ rule: AuditRule, on db: Database, bindings: [String: SQLValue], policy: ReadOnlyPolicy) throws -> Statement {
        func refuse(_ reason: String) -> Error {
            // A built-in rule that fails is a defect of registry, not of the user's files.
            rule.file == nil ? AuditError.builtInRuleFailed(rule: rule.id, reason: reason) : AuditError.badRule(file: rule.file!, reason: reason)
        }
        let statement: Statement
        do {
            statement = try db.prepare(rule.sql)
        } catch let error as SQLiteError where policy.refusedWrite && !error.isMisuse {
            throw refuse("it tries to change the database; a rule is a single SELECT and may only read")
        } catch let error as SQLiteError where error.isAuthorizationDenied {
            throw refuse(
                "it uses \(policy.refused.first ?? "something"), which a rule may not; a rule may read tables and call SQLite's own value functions, money(), uscc_valid() and resident_id_valid()"
            )
        } catch let error as SQLiteError {
            throw refuse("the SQL does not run: \(error.message)")
        }
        guard statement.isReadOnly else {
            throw refuse("it tries to change the database; a rule is a single SELECT and may only read")
        }
        let columns = statement.columnNames
        guard statement.columnCount > 0, columns.contains("reason") else {
            throw refuse("it returns no `reason` column; a rule's SELECT returns \(AuditRule.findingColumns.joined(separator: ", ")) (reason required)")
        }
        if let unknown = columns.first(where: { !AuditRule.findingColumns.contains($0) }) {
            throw refuse("it returns a column `\(unknown)`, which is not a finding column; accepted: \(AuditRule.findingColumns.joined(separator: ", "))")
        }
        if let unknown = statement.parameterNames.first(where: { bindings[$0] == nil }) {
            let known = bindings.keys.sorted().map { ":" + $0 }.joined(separator: ", ")
            throw refuse("unknown parameter :\(unknown) (an empty name means a `?`; use named ones); known: \(known)")
        }
        return statement
    }

    /// Counts one rule's findings by severity, in SQLite: the rule's SELECT as
    /// a subquery of `count(*)`, so the columns nobody reads (the reason, with
    /// its money() calls) are never computed.
    private func count(_ rule: AuditRule, _ statement: Statement, on db: Database, bindings: [String: SQLValue], into spool: FindingSpool) throws {
        let severity = statement.columnNames.contains("severity") ? "severity" : "NULL"
        let counting = try db.prepare("SELECT \(severity), count(*) FROM (\(rule.sql)) GROUP BY 1")
        try counting.bind(named: bindings)
        while try counting.step() {
            let stated = counting.text(at: 0).flatMap(AuditSeverity.init(rawValue:))
            spool.addCount(rule: rule.id, severity: stated ?? rule.severity, count: Int(counting.int64(at: 1)))
        }
    }

    /// Runs one rule, handing each finding to `found` as it is read.
    private func run(_ rule: AuditRule, _ statement: Statement, bindings: [String: SQLValue], found: (AuditFinding) throws -> Void) throws {
        do {
            try statement.bind(named: bindings)
        } catch let error as SQLiteError {
            throw rule.file.map { AuditError.badRule(file: $0, reason: error.message) } ?? error
        }
        defer { statement.reset() }
        let columns = statement.columnNames
        let index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, Int32($0)) })
        func text(_ name: String) -> String? {
            guard let position = index[name] else { return nil }
            switch statement.value(at: position) {
            case .null: return nil
            case .integer(let value): return String(value)
            case .real(let value): return String(value)
            case .text(let value): return value
            case .blob: return "<blob>"
            }
        }
        func fen(_ name: String) throws -> Int64? {
            guard let position = index[name] else { return nil }
            switch statement.value(at: position) {
            case .null: return nil
            case .integer(let value): return value
            default: throw AuditError.badRule(file: rule.file ?? rule.id, reason: "column \(name) must be whole fen (an integer) or NULL")
            }
        }
        func step() throws -> Bool {
            do {
                return try statement.step()
            } catch let error as SQLiteError where rule.file != nil && !error.isInterrupted {
                throw AuditError.badRule(file: rule.file!, reason: "it failed while running: \(error.message)")
            }
        }
        while try step() {
            var severity = rule.severity
            if let stated = text("severity") {
                guard let value = AuditSeverity(rawValue: stated) else {
                    throw AuditError.badRule(file: rule.file ?? rule.id, reason: "column severity holds \"\(stated)\"; accepted: error, warning, info")
                }
                severity = value
            }
            try found(
                AuditFinding(
                    rule: rule.id, severity: severity, fund: text("fund"), allocation: text("allocation"),
                    disbursement: text("disbursement"), project: text("project"), payee: text("payee"),
                    amountFen: try fen("amount_fen"), limitFen: try fen("limit_fen"), date: text("date"),
                    reason: text("reason") ?? "(no reason given)"
                ))
        }
    }

    /// The functions `defineFunctions` adds.
    static let functionNames: Set<String> = ["money", "uscc_valid", "resident_id_valid"]

    /// `money(fen)`: `3000.00万元`; `uscc_valid(code)`: 1 when a valid code (GB 32100-2015).
    static func defineFunctions(on db: Database) throws {
        try db.defineFunction("money", argumentCount: 1) { arguments in
            guard case .integer(let fen) = arguments[0] else { return .null }
            return .text(Money(fen: fen).formatted())
        }
        try db.defineFunction("uscc_valid", argumentCount: 1) { arguments in
            guard case .text(let code) = arguments[0], (try? USCC.parse(code)).map({ $0.value.sameBytes(as: code) }) == true else { return .integer(0) }
            return .integer(1)
        }
        try db.defineFunction("resident_id_valid", argumentCount: 1) { arguments in
            guard case .text(let code) = arguments[0] else { return .integer(0) }
            return .integer(ResidentID.isValid(code) ? 1 : 0)
        }
    }
}
