import RegistryStorage

/// An enterprise's registration status (登记状态), as the market-regulation
/// register shows it.
public enum RegistrationStatus: String, Choice {
    case active, abnormal, revoked, deregistered

    public var chineseName: String {
        switch self {
        case .active: "存续"
        case .abnormal: "经营异常"
        case .revoked: "吊销"
        case .deregistered: "注销"
        }
    }

    public var aliases: [String] {
        switch self {
        case .active: ["在业", "正常"]
        case .abnormal: ["异常", "列入经营异常名录"]
        case .revoked: ["吊销营业执照"]
        case .deregistered: ["已注销"]
        }
    }
}

/// An enterprise's status and the date it took effect (`enterprise_status`):
/// one row per enterprise, changed like any other record.
public struct EnterpriseStatus: Equatable, Sendable {
    public let uscc: String
    public var status: RegistrationStatus
    public var since: ISODate
    public var notes: String?
}

/// A status as typed (`enterprise status`, a row of `import enterprise-statuses`).
public struct EnterpriseStatusFields: Sendable {
    public var uscc: String?
    public var status: String?
    public var since: String?
    public var notes: String?

    public init(uscc: String? = nil, status: String? = nil, since: String? = nil, notes: String? = nil) {
        self.uscc = uscc
        self.status = status
        self.since = since
        self.notes = notes
    }

    init(_ row: ImportRow) {
        self.init(uscc: row("uscc"), status: row("status"), since: row("since"), notes: row("notes"))
    }
}

extension EnterpriseStatus: StoredRecord {
    static let table = TableSchema(name: "enterprise_status", primaryKey: ["uscc"], columns: ["uscc", "status", "since", "notes"])

    var key: [SQLValue] { [.text(uscc)] }

    var values: [SQLValue] { [.text(uscc), .text(status.rawValue), .text(since.description), notes.sqlValue] }

    init(row: Row) throws {
        self.init(
            uscc: try row.get("uscc"), status: try RegistrationStatus.stored(try row.get("status")),
            since: try ISODate.stored(try row.get("since"), column: "since"), notes: try row.get("notes"))
    }

    /// Frozen with the year it took effect: a closed year's payments were audited against it.
    var closingYear: ClosingYear? { ClosingYear(year: since.year, field: "since", value: since.description) }

    static let entity = Entity(
        table: table,
        file: FileFormat(
            kind: "enterprise-statuses",
            columns: [
                ImportColumn("uscc", ["统一社会信用代码", "信用代码"], required: true),
                ImportColumn("status", ["登记状态", "经营状态"], required: true),
                ImportColumn("since", ["状态日期", "变更日期"], required: true),
                ImportColumn("notes", ["备注"]),
            ],
            add: { row, writer in _ = try writer.setEnterpriseStatus(EnterpriseStatusFields(row), replacing: false) },
            update: { _, row, writer in try writer.setEnterpriseStatus(EnterpriseStatusFields(row), replacing: true).fieldChanges },
            export: { registry, _, row in
                for status in try registry.enterpriseStatuses() {
                    try row([.text(status.uscc), .text(status.status.rawValue), .text(status.since.description), .text(status.notes)])
                }
            }
        )
    )
}

/// The period an allocation's agreement allows payments in (`allocation_period`).
public struct AllocationPeriod: Equatable, Sendable {
    public let allocationID: String
    public var startsOn: ISODate?
    public var endsOn: ISODate?
}

public struct AllocationPeriodFields: Sendable {
    public var allocation: String?
    public var startsOn: String?
    public var endsOn: String?

    public init(allocation: String? = nil, startsOn: String? = nil, endsOn: String? = nil) {
        self.allocation = allocation
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    init(_ row: ImportRow) {
        self.init(allocation: row("allocation"), startsOn: row.nonEmpty("starts_on"), endsOn: row.nonEmpty("ends_on"))
    }
}

extension AllocationPeriod: StoredRecord {
    static let table = TableSchema(name: "allocation_period", primaryKey: ["allocation_id"], columns: ["allocation_id", "starts_on", "ends_on"])

    var key: [SQLValue] { [.text(allocationID)] }

    var values: [SQLValue] { [.text(allocationID), startsOn.map { .text($0.description) } ?? .null, endsOn.map { .text($0.description) } ?? .null] }

    init(row: Row) throws {
        let starts: String? = try row.get("starts_on")
        let ends: String? = try row.get("ends_on")
        self.init(
            allocationID: try row.get("allocation_id"), startsOn: try starts.map { try ISODate.stored($0, column: "starts_on") },
            endsOn: try ends.map { try ISODate.stored($0, column: "ends_on") })
    }

    /// Frozen with its allocation's year: set when the allocation is checked.
    var closingYear: ClosingYear? {
        let date = startsOn ?? endsOn
        return date.map { ClosingYear(year: $0.year, field: "starts_on", value: $0.description) }
    }

    static let entity = Entity(
        table: table,
        file: FileFormat(
            kind: "allocation-periods",
            columns: [
                ImportColumn("allocation", ["批复编号", "拨款编号"], required: true),
                ImportColumn("starts_on", ["协议开始日期", "开始日期"]),
                ImportColumn("ends_on", ["协议结束日期", "结束日期"]),
            ],
            add: { row, writer in _ = try writer.setAllocationPeriod(AllocationPeriodFields(row), replacing: false) },
            update: { _, row, writer in try writer.setAllocationPeriod(AllocationPeriodFields(row), replacing: true).fieldChanges },
            export: { registry, _, row in
                for period in try registry.allocationPeriods() {
                    try row([.text(period.allocationID), .text(period.startsOn?.description), .text(period.endsOn?.description)])
                }
            }
        )
    )
}
