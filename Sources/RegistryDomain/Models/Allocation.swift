import RegistryStorage

/// A fund's money assigned to one project or wellbeing programme, by an approval.
public struct Allocation: Equatable, Sendable {
    /// `A-HQ-2025-0001`: minted by the site that recorded it (see migration 0004).
    public var id: String
    public var fundCode: String
    public var projectCode: String
    public var amount: Money
    public var approvedOn: ISODate
    /// The approval document number (批复文号), e.g. 深汕指〔2025〕12号.
    public var approvalDocument: String?
    public var notes: String?
}

/// An allocation as typed (`fund allocate`, a row of `import allocations`).
/// `fund` and `project` name the record by code or exact name.
public struct AllocationFields: Sendable {
    /// Empty: the writer mints one.
    public var id: String?
    public var fund: String?
    public var project: String?
    public var amount: String?
    public var amountUnit: Money.Unit
    public var approvedOn: String?
    public var approvalDocument: String?
    public var notes: String?

    public init(
        id: String? = nil, fund: String? = nil, project: String? = nil, amount: String? = nil,
        amountUnit: Money.Unit = .yuan, approvedOn: String? = nil, approvalDocument: String? = nil, notes: String? = nil
    ) {
        self.id = id
        self.fund = fund
        self.project = project
        self.amount = amount
        self.amountUnit = amountUnit
        self.approvedOn = approvedOn
        self.approvalDocument = approvalDocument
        self.notes = notes
    }
}

extension Allocation: StoredRecord {
    static let table = TableSchema(
        name: "allocation", primaryKey: ["id"],
        columns: ["id", "fund_code", "project_code", "amount_fen", "approved_on", "approval_doc", "notes"])

    var key: [SQLValue] { [.text(id)] }

    var values: [SQLValue] {
        [
            .text(id), .text(fundCode), .text(projectCode), .integer(amount.fen), .text(approvedOn.description),
            approvalDocument.sqlValue, notes.sqlValue,
        ]
    }

    init(row: Row) throws {
        self.init(
            id: try row.get("id"), fundCode: try row.get("fund_code"), projectCode: try row.get("project_code"),
            amount: Money(fen: try row.get("amount_fen")), approvedOn: try ISODate.stored(try row.get("approved_on"), column: "approved_on"),
            approvalDocument: try row.get("approval_doc"), notes: try row.get("notes")
        )
    }
}

/// Money actually paid out of an allocation.
public struct Disbursement: Equatable, Sendable {
    /// `D-HQ-2025-000001`: minted by the site that recorded it.
    public var id: String
    public var allocationID: String
    public var amount: Money
    public var paidOn: ISODate
    /// The payee's unified social credit code as written on the voucher (its
    /// check character is audited, not enforced: see `payee-not-registered`).
    public var payeeCode: String
    public var payeeName: String?
    /// The accounting voucher number (凭证号).
    public var voucher: String
    public var purpose: String?
    /// Paid in a later year than the fund's, with the carry-over (结转) approved.
    public var carryOver: Bool
}

/// A disbursement as typed (`fund disburse`, a row of `import disbursements`).
public struct DisbursementFields: Sendable {
    public var id: String?
    public var allocation: String?
    public var amount: String?
    public var amountUnit: Money.Unit
    public var paidOn: String?
    /// A USCC, or the exact name of a registered enterprise.
    public var payee: String?
    public var payeeName: String?
    public var voucher: String?
    public var purpose: String?
    public var carryOver: String?

    public init(
        id: String? = nil, allocation: String? = nil, amount: String? = nil, amountUnit: Money.Unit = .yuan,
        paidOn: String? = nil, payee: String? = nil, payeeName: String? = nil, voucher: String? = nil,
        purpose: String? = nil, carryOver: String? = nil
    ) {
        self.id = id
        self.allocation = allocation
        self.amount = amount
        self.amountUnit = amountUnit
        self.paidOn = paidOn
        self.payee = payee
        self.payeeName = payeeName
        self.voucher = voucher
        self.purpose = purpose
        self.carryOver = carryOver
    }
}

extension Disbursement: StoredRecord {
    static let table = TableSchema(
        name: "disbursement", primaryKey: ["id"],
        columns: [
            "id", "allocation_id", "amount_fen", "paid_on", "payee_uscc", "payee_name",
            "voucher", "purpose", "carry_over",
        ])

    var key: [SQLValue] { [.text(id)] }

    var values: [SQLValue] {
        [
            .text(id), .text(allocationID), .integer(amount.fen), .text(paidOn.description), .text(payeeCode),
            payeeName.sqlValue, .text(voucher), purpose.sqlValue, .integer(carryOver ? 1 : 0),
        ]
    }

    init(row: Row) throws {
        self.init(
            id: try row.get("id"), allocationID: try row.get("allocation_id"), amount: Money(fen: try row.get("amount_fen")),
            paidOn: try ISODate.stored(try row.get("paid_on"), column: "paid_on"), payeeCode: try row.get("payee_uscc"),
            payeeName: try row.get("payee_name"), voucher: try row.get("voucher"), purpose: try row.get("purpose"),
            carryOver: try row.get("carry_over")
        )
    }
}

extension ISODate {
    /// A date the database holds (its CHECK admits only ISO dates).
    static func stored(_ text: String, column: String) throws -> ISODate {
        guard let date = ISODate(iso: text) else {
            throw UnexpectedStoredValue(column: column, value: text, expected: "an ISO date")
        }
        return date
    }
}

extension Allocation {
    /// Allocations (批复): kept in sheets; frozen with the year of approval.
    static let entity = Entity(
        table: table,
        file: FileFormat(
            kind: "allocations",
            columns: [
                ImportColumn("id", ["批复编号", "拨款编号"]),
                ImportColumn("fund", ["资金编号", "资金名称"], required: true),
                ImportColumn("project", ["项目编号", "项目代码"], required: true),
                ImportColumn("amount", ["批复金额", "安排金额"], required: true, isMoney: true),
                ImportColumn("approved_on", ["批复日期", "批复时间"], required: true),
                ImportColumn("approval_doc", ["批复文号", "文号"]),
                ImportColumn("notes", ["备注"]),
            ],
            add: { row, writer in _ = try writer.allocate(AllocationFields(row)) },
            update: { key, row, writer in try writer.updateAllocation(id: key, AllocationFields(row)).fieldChanges },
            export: { registry, _, row in
                for allocation in try registry.allocations() {
                    try row([
                        .text(allocation.id), .text(allocation.fundCode), .text(allocation.projectCode),
                        .text(allocation.amount.plainYuan), .text(allocation.approvedOn.description),
                        .text(allocation.approvalDocument), .text(allocation.notes),
                    ])
                }
            }
        )
    )
}

extension AllocationFields {
    init(_ row: ImportRow) {
        self.init(
            id: row("id"), fund: row("fund"), project: row("project"), amount: row("amount"), amountUnit: row.unit("amount"),
            approvedOn: row("approved_on"), approvalDocument: row("approval_doc"), notes: row("notes"))
    }
}

extension Disbursement {
    /// Disbursements (拨付): kept in sheets; frozen with the year of payment.
    static let entity = Entity(
        table: table,
        file: FileFormat(
            kind: "disbursements",
            columns: [
                ImportColumn("id", ["拨付编号", "付款编号"]),
                ImportColumn("allocation", ["批复编号", "拨款编号"], required: true),
                ImportColumn("amount", ["拨付金额", "付款金额"], required: true, isMoney: true),
                ImportColumn("paid_on", ["拨付日期", "付款日期"], required: true),
                ImportColumn("payee", ["收款单位", "收款单位代码", "收款单位统一社会信用代码"], required: true),
                ImportColumn("payee_name", ["收款单位名称", "户名"]),
                ImportColumn("voucher", ["凭证号", "凭证编号"], required: true),
                ImportColumn("purpose", ["用途", "资金用途"]),
                ImportColumn("carry_over", ["结转", "是否结转"]),
            ],
            add: { row, writer in _ = try writer.disburse(DisbursementFields(row)) },
            update: { key, row, writer in try writer.updateDisbursement(id: key, DisbursementFields(row)).fieldChanges },
            export: { registry, _, row in
                try registry.forEachDisbursement { payment in
                    try row([
                        .text(payment.id), .text(payment.allocationID), .text(payment.amount.plainYuan),
                        .text(payment.paidOn.description), .text(payment.payeeCode), .text(payment.payeeName),
                        .text(payment.voucher), .text(payment.purpose), .text(payment.carryOver ? "yes" : "no"),
                    ])
                }
            }
        )
    )
}

extension DisbursementFields {
    init(_ row: ImportRow) {
        self.init(
            id: row("id"), allocation: row("allocation"), amount: row("amount"), amountUnit: row.unit("amount"),
            paidOn: row("paid_on"), payee: row("payee"), payeeName: row("payee_name"), voucher: row("voucher"),
            purpose: row("purpose"), carryOver: row("carry_over"))
    }
}
