import Crypto
import Foundation
import RegistryStorage

/// Where a finding stands in its rectification (整改).
public enum FindingStatus: String, Choice {
    case open, explained, confirmed, rectified, dismissed

    public var chineseName: String {
        switch self {
        case .open: "待核实"
        case .explained: "已说明"
        case .confirmed: "已确认"
        case .rectified: "已整改"
        case .dismissed: "不属实"
        }
    }

    /// The statuses a finding in this one may move to by hand.
    var next: [FindingStatus] {
        switch self {
        case .open: [.explained, .confirmed, .dismissed]
        case .explained: [.confirmed, .rectified, .dismissed]
        case .confirmed: [.rectified]
        case .rectified, .dismissed: []
        }
    }
}

/// One finding of the register (`finding`): a problem a rule found, with a
/// stable identity, and how far it has been dealt with.
public struct Finding: Equatable, Sendable {
    public let id: String
    public let rule: String
    public let year: Int
    public var severity: AuditSeverity
    public let fund: String?
    public let allocation: String?
    public let disbursement: String?
    public let project: String?
    public let payee: String?
    public var reason: String
    /// The as-of dates of the first and the latest run that found it.
    public let firstFound: ISODate
    public var lastFound: ISODate
    /// False once a recorded run of its rule no longer finds it.
    public var stillFound: Bool
    public var status: FindingStatus
    public var note: String?
    /// 整改文号 or 说明文号.
    public var document: String?
    public var changedBy: String?
    public var changedAt: String?

    /// `F-` and 12 hex digits of SHA-256 over the rule and the records named
    /// (by bytes, each field length-prefixed): the same problem, the same id.
    static func identity(of finding: AuditFinding) -> String {
        var bytes: [UInt8] = []
        for field in [finding.rule, finding.fund, finding.allocation, finding.disbursement, finding.project, finding.payee] {
            let utf8 = Array((field ?? "").utf8)
            bytes += withUnsafeBytes(of: UInt32(utf8.count).bigEndian, Array.init)
            bytes += utf8
            bytes.append(field == nil ? 0 : 1)
        }
        return "F-" + String(Hex.lowercase(SHA256.hash(data: bytes)).prefix(12))
    }

    /// The records named, for a table cell.
    public var records: String {
        [fund, allocation, disbursement, project].compactMap { $0 }.joined(separator: " / ")
    }
}

extension Finding: StoredRecord {
    static let table = TableSchema(
        name: "finding", primaryKey: ["id"],
        columns: [
            "id", "rule", "year", "severity", "fund", "allocation", "disbursement", "project", "payee", "reason",
            "first_found", "last_found", "still_found", "status", "note", "document", "changed_by", "changed_at",
        ])

    var key: [SQLValue] { [.text(id)] }

    var values: [SQLValue] {
        [
            .text(id), .text(rule), .integer(Int64(year)), .text(severity.rawValue), fund.sqlValue, allocation.sqlValue,
            disbursement.sqlValue, project.sqlValue, payee.sqlValue, .text(reason), .text(firstFound.description),
            .text(lastFound.description), .integer(stillFound ? 1 : 0), .text(status.rawValue), note.sqlValue, document.sqlValue,
            changedBy.sqlValue, changedAt.sqlValue,
        ]
    }

    init(row: Row) throws {
        self.init(
            id: try row.get("id"), rule: try row.get("rule"), year: try row.get("year"),
            severity: try AuditSeverity.stored(try row.get("severity")), fund: try row.get("fund"), allocation: try row.get("allocation"),
            disbursement: try row.get("disbursement"), project: try row.get("project"), payee: try row.get("payee"),
            reason: try row.get("reason"), firstFound: try ISODate.stored(try row.get("first_found"), column: "first_found"),
            lastFound: try ISODate.stored(try row.get("last_found"), column: "last_found"), stillFound: try row.get("still_found"),
            status: try FindingStatus.stored(try row.get("status")), note: try row.get("note"), document: try row.get("document"),
            changedBy: try row.get("changed_by"), changedAt: try row.get("changed_at"))
    }

    /// Frozen with its year: a closed year's register is what was reported.
    var closingYear: ClosingYear? { ClosingYear(year: year, field: "year", value: String(year)) }

    static let entity = Entity(table: table)
}
