import RegistryStorage

/// A year closed (or closed and reopened): while `closed`, its records are
/// frozen. See `RegistryWriter.closeYear`.
public struct YearClose: Equatable, Sendable {
    public let year: Int
    public var closed: Bool
    public var reason: String
    /// The change log's head when the year was last closed or reopened.
    public var head: LogHead
}

extension YearClose: StoredRecord {
    static let table = TableSchema(
        name: "year_close", primaryKey: ["year"],
        columns: ["year", "closed", "reason", "head_seq", "head_hash"])

    var key: [SQLValue] { [.integer(Int64(year))] }

    var values: [SQLValue] {
        [.integer(Int64(year)), .integer(closed ? 1 : 0), .text(reason), .integer(head.seq), .text(head.hash)]
    }

    init(row: Row) throws {
        self.init(
            year: try row.get("year"), closed: try row.get("closed"), reason: try row.get("reason"),
            head: LogHead(seq: try row.get("head_seq"), hash: try row.get("head_hash")))
    }
}

/// Which year a record belongs to, for year close: the date that puts it in
/// a year's report, and the field that holds it (named in the refusal).
struct ClosingYear {
    let year: Int
    let field: String
    let value: String
}

extension StoredRecord {
    /// True when the change from `before` to `after` touches nothing that a
    /// closed year's report shows (a project's current stage, moved by a stage
    /// change that is itself dated and checked).
    static func isYearNeutral(from before: Self, to after: Self) -> Bool { false }
}

extension Project {
    var closingYear: ClosingYear? { ClosingYear(year: signedOn.year, field: "signed_on", value: signedOn.description) }

    static func isYearNeutral(from before: Project, to after: Project) -> Bool {
        var moved = before
        moved.stage = after.stage
        return moved == after
    }
}

extension StageChange {
    var closingYear: ClosingYear? { ClosingYear(year: enteredOn.year, field: "on", value: enteredOn.description) }
}

extension Target {
    var closingYear: ClosingYear? { ClosingYear(year: year, field: "year", value: String(year)) }
}

extension Fund {
    var closingYear: ClosingYear? { ClosingYear(year: year, field: "year", value: String(year)) }
}

extension Allocation {
    var closingYear: ClosingYear? { ClosingYear(year: approvedOn.year, field: "approved_on", value: approvedOn.description) }
}

extension Disbursement {
    var closingYear: ClosingYear? { ClosingYear(year: paidOn.year, field: "paid_on", value: paidOn.description) }
}

extension YearClose {
    /// Closed years: written by `year close|reopen`.
    static let entity = Entity(table: table)

    /// Never frozen: closing and reopening a year is what the table records.
    var closingYear: ClosingYear? { nil }
}
