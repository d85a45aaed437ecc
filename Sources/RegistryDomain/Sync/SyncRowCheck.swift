import RegistryStorage

/// Checks a row that a bundle brings as the write path checks a row typed
/// here: each field goes through the same validation as `project add` (and
/// the others), and the validated row must be byte for byte the row given, so
/// that a value the write path would have refused or stored differently
/// (a name not in NFC, a code in fullwidth, an amount over the cap, a
/// missing park for an investment project) is refused with its field named.
/// References are checked by SQLite's foreign keys, once the whole bundle is in.
enum SyncRowCheck {
    /// Validates a whole row of a synced table; returns its closing year.
    static func check(_ table: TableSchema, _ values: [SQLValue]) throws -> ClosingYear? {
        let row = Row(columns: table.columns, values: values)
        switch table.name {
        case "park":
            let park = try Park(row: row)
            let checked = try Park(
                validating: ParkFields(code: park.code, name: park.name, level: park.level.rawValue, county: park.county, notes: park.notes))
            try same(table, checked.values, values)
            return park.closingYear
        case "enterprise":
            let enterprise = try Enterprise(row: row)
            let checked = try Enterprise(
                validating: EnterpriseFields(uscc: enterprise.uscc.value, name: enterprise.name, city: enterprise.city, notes: enterprise.notes))
            try same(table, checked.values, values)
            return enterprise.closingYear
        case "fund":
            let fund = try Fund(row: row)
            let checked = try Fund(
                validating: FundFields(
                    code: fund.code, name: fund.name, source: fund.source.rawValue, year: String(fund.year),
                    budget: fund.budget.plainYuan, isSubsidy: fund.isSubsidy ? "yes" : "no", notes: fund.notes))
            try same(table, checked.values, values)
            return fund.closingYear
        case "project":
            let project = try Project(row: row)
            var checked = project
            checked.code = try ProjectCode.parse(project.code)
            checked.name = try FieldText.required(project.name, field: "name")
            try checkAmount(project.plannedInvestment, field: "planned_investment", positive: false)
            checked.notes = try FieldText.notes(project.notes)
            if project.kind == .investment {
                for (field, missing) in [
                    ("park", project.parkCode == nil), ("enterprise", project.enterpriseUSCC == nil), ("sector", project.sectorKey == nil),
                ]
                where missing {
                    throw InvalidValue(field: field, value: "", reason: "is required for an investment project")
                }
            }
            try same(table, checked.values, values)
            return project.closingYear
        case "project_stage":
            let step = try StageChange(row: row)
            let checked = StageChange(projectCode: try ProjectCode.parse(step.projectCode), stage: step.stage, enteredOn: step.enteredOn)
            try same(table, checked.values, values)
            return step.closingYear
        case "target":
            let target = try Target(row: row)
            guard target.value >= 0, target.metric != .investment || target.value <= Money.largestAccepted.fen else {
                throw InvalidValue(field: "value", value: String(target.value), reason: "is not a target figure")
            }
            try same(table, target.values, values)
            return target.closingYear
        case "allocation":
            let allocation = try Allocation(row: row)
            var checked = allocation
            checked.id = try RecordKey.parse(allocation.id, field: "id", example: "A-HF-2026-0001")
            try checkAmount(allocation.amount, field: "amount", positive: true)
            checked.approvalDocument = try FieldText.optionalIdentifier(
                allocation.approvalDocument, field: "approval_doc", maximumLength: FieldText.maximumNameLength)
            checked.notes = try FieldText.notes(allocation.notes)
            try same(table, checked.values, values)
            return allocation.closingYear
        case "disbursement":
            let payment = try Disbursement(row: row)
            var checked = payment
            checked.id = try RecordKey.parse(payment.id, field: "id", example: "D-HF-2026-000001")
            try checkAmount(payment.amount, field: "amount", positive: true)
            checked.payeeName = try FieldText.optional(payment.payeeName, field: "payee_name")
            checked.voucher = try FieldText.identifier(payment.voucher, field: "voucher")
            checked.purpose = try FieldText.optional(payment.purpose, field: "purpose")
            try same(table, checked.values, values)
            return payment.closingYear
        default:
            throw InvalidValue(field: "table", value: table.name, reason: "is not a table that bundles carry")
        }
    }

    /// The write path's rule for an amount: not negative (or, where it must
    /// be, above zero), at most `Money.largestAccepted`.
    private static func checkAmount(_ amount: Money, field: String, positive: Bool) throws {
        if amount > Money.largestAccepted {
            throw InvalidValue(field: field, value: amount.plainYuan, reason: Money.largestReason)
        }
        if positive ? amount <= .zero : amount < .zero {
            throw InvalidValue(field: field, value: amount.plainYuan, reason: positive ? "must be more than zero" : "is negative")
        }
    }

    /// Refuses a row whose validated form differs from what was given, naming the first column.
    private static func same(_ table: TableSchema, _ checked: [SQLValue], _ given: [SQLValue]) throws {
        for index in table.columns.indices where checked[index] != given[index] {
            throw InvalidValue(
                field: table.columns[index], value: FieldText.shown(given[index].description),
                reason: "is not in the form this registry stores (\(FieldText.shown(checked[index].description)))")
        }
    }
}
