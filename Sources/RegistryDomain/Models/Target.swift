import Foundation
import RegistryStorage

/// What a target counts: projects introduced, or their planned investment.
public enum TargetMetric: String, Choice {
    case projects
    case investment

    public var chineseName: String {
        switch self {
        case .projects: "引进项目数"
        case .investment: "计划总投资"
        }
    }

    public var aliases: [String] {
        switch self {
        case .projects: ["项目数", "项目"]
        case .investment: ["投资", "总投资", "计划投资"]
        }
    }
}

/// The part of the programme a target is for.
public enum TargetScope: Hashable, Sendable, CustomStringConvertible {
    case all
    case level(ParkLevel)
    case park(String)
    case county(String)
    case sector(String)

    /// The stored form: `all`, `level:county`, `park:SW-GX`, `county:海丰县`, `sector:nev`.
    public var description: String {
        switch self {
        case .all: "all"
        case .level(let level): "level:\(level.rawValue)"
        case .park(let code): "park:\(code)"
        case .county(let name): "county:\(name)"
        case .sector(let key): "sector:\(key)"
        }
    }

    static let accepted: Message = "accepted: all, level:municipal, level:county, park:<park code or name>, county:<county name>, sector:<sector key or name>"

    /// Reads the typed form. References (the park, county, sector) are only
    /// split off here; `RegistryWriter` checks that they exist.
    static func parse(_ text: String, field: String = "scope") throws -> (kind: String, value: String) {
        let trimmed = TextNormalization.halfwidthTrimmed(text)
        if trimmed.lowercased() == "all" || trimmed == "全部" { return ("all", "") }
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is not a scope; \(accepted)")
        }
        let kind = trimmed[..<colon].lowercased()
        let value = String(trimmed[trimmed.index(after: colon)...]).trimmingWhitespace()
        guard ["level", "park", "county", "sector"].contains(kind), !value.isEmpty else {
            throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is not a scope; \(accepted)")
        }
        return (kind, value)
    }

    /// The stored form read back (the CHECK in migration 0003 admits only these shapes).
    init(stored text: String) throws {
        if text == "all" { self = .all; return }
        guard let colon = text.firstIndex(of: ":") else {
            throw UnexpectedStoredValue(column: "target.scope", value: text, expected: "a target scope (all, level:…, park:…, county:…, sector:…)")
        }
        let value = String(text[text.index(after: colon)...])
        switch text[..<colon] {
        case "level": self = .level(try ParkLevel.stored(value))
        case "park": self = .park(value)
        case "county": self = .county(value)
        case "sector": self = .sector(value)
        default: throw UnexpectedStoredValue(column: "target.scope", value: text, expected: "a target scope (all, level:…, park:…, county:…, sector:…)")
        }
    }
}

/// An annual target: a count of projects or an amount of planned investment,
/// for one year and one scope.
public struct Target: Equatable, Sendable {
    public let year: Int
    public let metric: TargetMetric
    public let scope: TargetScope
    /// A count for `projects`; fen for `investment`.
    public var value: Int64
    public var setBy: String
    /// UTC, ISO 8601 to the second.
    public var setAt: String

    /// The value as what it counts: projects, or an amount.
    public var figure: TargetFigure { TargetFigure(metric, value) }

    /// The value as staff read it: `50 个` or `120.00亿元`.
    public func formattedValue(_ unit: Money.DisplayUnit = .auto) -> String {
        metric == .investment ? Money(fen: value).formatted(unit) : "\(value)"
    }
}

/// A target as typed: `target set 2025 --projects 50 --investment 120亿 --scope level:county`.
public struct TargetFields: Sendable {
    public var year: String
    public var scope: String
    public var projects: String?
    public var investment: String?

    public init(year: String, scope: String = "all", projects: String? = nil, investment: String? = nil) {
        self.year = year
        self.scope = scope
        self.projects = projects
        self.investment = investment
    }
}

extension Target: StoredRecord {
    static let table = TableSchema(
        name: "target", primaryKey: ["year", "metric", "scope"],
        columns: ["year", "metric", "scope", "value", "set_by", "set_at"]
    )

    var key: [SQLValue] { [.integer(Int64(year)), .text(metric.rawValue), .text(scope.description)] }

    var values: [SQLValue] {
        [.integer(Int64(year)), .text(metric.rawValue), .text(scope.description), .integer(value), .text(setBy), .text(setAt)]
    }

    init(row: Row) throws {
        year = try row.get("year")
        metric = try TargetMetric.stored(try row.get("metric"))
        scope = try TargetScope(stored: try row.get("scope"))
        value = try row.get("value")
        setBy = try row.get("set_by")
        setAt = try row.get("set_at")
    }
}

extension Target {
    /// Targets of one year (or all), by year, then projects before investment, then scope.
    static func stored(year: Int?, in db: Database) throws -> [Target] {
        try db.rows(
            "\(table.selectSQL) WHERE ?1 IS NULL OR year = ?1 ORDER BY year, metric DESC, scope",
            [year.map { .integer(Int64($0)) } ?? .null]
        ).map(Target.init(row:))
    }
}

/// A year as typed (`2025`): four digits within the accepted years.
enum Year {
    static func parse(_ text: String, field: String = "year") throws -> Int {
        let trimmed = TextNormalization.halfwidthTrimmed(text)
        guard let year = Int(trimmed), trimmed.count == 4, ISODate.acceptedYears.contains(year) else {
            throw InvalidValue(
                field: field, value: FieldText.shown(text),
                reason: "is not a year; accepted: \(ISODate.acceptedYears.lowerBound)–\(ISODate.acceptedYears.upperBound), e.g. 2025")
        }
        return year
    }
}

extension Target {
    /// Targets: set by `target set`; frozen with their year.
    static let entity = Entity(table: table)
}
