import RegistryStorage

/// Funds, allocations and disbursements.
///
/// Refused at the door is only what can never be right: an amount of zero or
/// less, a reference to nothing, a date that does not exist. What is merely
/// suspicious (paid before approval, more paid than allocated, a payee code
/// with a wrong check character) is recorded, so that `registry audit` can
/// show it to the auditors; hiding it at the door would hide it from them.
extension RegistryWriter {
    // MARK: Funds

    @discardableResult
    public func addFund(_ fields: FundFields) throws -> Fund {
        let fund = try Fund(validating: fields)
        try checkFundNameFree(fund)
        try insertNew(fund, entity: "fund", keyField: "code", keyValue: fund.code)
        return fund
    }

    public func updateFund(code: String, _ fields: FundFields) throws -> Change<Fund> {
        let before = try existingFund(code)
        let after = try before.applying(fields)
        try checkFundNameFree(after)
        resolver.forget()
        let changed = try store.update(from: before, to: after)
        return Change(before: before, after: after, changed: changed)
    }

    private func checkFundNameFree(_ fund: Fund) throws {
        if let other = try db.scalar("SELECT code FROM fund WHERE name = ? AND code <> ?", [.text(fund.name), .text(fund.code)], as: String.self) {
            throw InvalidValue(field: "name", value: fund.name, reason: "is already the name of fund \(other); fund names are unique")
        }
    }

    func existingFund(_ code: String) throws -> Fund {
        let key = try resolver.fund(code)
        return try store.find(Fund.self, key: [.text(key)])!
    }

    // MARK: Allocations

    /// Records an allocation; its id is minted (`A-HQ-2025-0001`) unless given.
    @discardableResult
    public func allocate(_ fields: AllocationFields) throws -> Allocation {
        var checks = FieldChecks()
        let id = try checks.check { try optionalID(fields.id) }
        let fund = try checks.check { try resolver.fund(try required(fields.fund, "fund")) }
        let project = try checks.check { try resolver.project(try required(fields.project, "project")) }
        let amount = try checks.check { try Money.positive(try required(fields.amount, "amount"), field: "amount", bareUnit: fields.amountUnit) }
        let approvedOn = try checks.check { try ISODate.parse(try required(fields.approvedOn, "approved_on"), field: "approved_on") }
        let document = try checks.check {
            try FieldText.optionalIdentifier(fields.approvalDocument, field: "approval_doc", maximumLength: FieldText.maximumNameLength)
        }
        let notes = try checks.check { try FieldText.notes(fields.notes) }
        try checks.throwIfAny()
        let allocation = Allocation(
            id: try id! ?? mintID(table: "allocation", kind: "A", year: approvedOn!.year, digits: 4),
            fundCode: fund!, projectCode: project!, amount: amount!, approvedOn: approvedOn!,
            approvalDocument: document!, notes: notes!
        )
        try insertNew(allocation, entity: "allocation", keyField: "id", keyValue: allocation.id)
        return allocation
    }

    /// Changes the given fields of an allocation (`import allocations --upsert`).
    public func updateAllocation(id: String, _ fields: AllocationFields) throws -> Change<Allocation> {
        let before = try existingAllocation(id)
        var after = before
        var checks = FieldChecks()
        if let fund = fields.fund, let value = try checks.check({ try resolver.fund(fund) }) { after.fundCode = value }
        if let project = fields.project, let value = try checks.check({ try resolver.project(project) }) { after.projectCode = value }
        if let amount = fields.amount, let value = try checks.check({ try Money.positive(amount, field: "amount", bareUnit: fields.amountUnit) }) {
            after.amount = value
        }
        if let date = fields.approvedOn, let value = try checks.check({ try ISODate.parse(date, field: "approved_on") }) { after.approvedOn = value }
        if let document = fields.approvalDocument,
            let value = try checks.check({ try FieldText.optionalIdentifier(document, field: "approval_doc", maximumLength: FieldText.maximumNameLength) })
        {
            after.approvalDocument = value
        }
        if let notes = fields.notes, let value = try checks.check({ try FieldText.notes(notes) }) { after.notes = value }
        try checks.throwIfAny()
        let changed = try store.update(from: before, to: after)
        return Change(before: before, after: after, changed: changed)
    }

    func existingAllocation(_ id: String) throws -> Allocation {
        let key = try resolver.allocation(id)
        return try store.find(Allocation.self, key: [.text(key)])!
    }

    // MARK: Disbursements

    /// Records a payment out of an allocation; its id is minted (`D-HQ-2025-000001`) unless given.
    @discardableResult
    public func disburse(_ fields: DisbursementFields) throws -> Disbursement {
        var checks = FieldChecks()
        let id = try checks.check { try optionalID(fields.id) }
        let allocation = try checks.check { try resolver.allocation(try required(fields.allocation, "allocation")) }
        let amount = try checks.check { try Money.positive(try required(fields.amount, "amount"), field: "amount", bareUnit: fields.amountUnit) }
        let paidOn = try checks.check { try ISODate.parse(try required(fields.paidOn, "paid_on"), field: "paid_on") }
        let payee = try checks.check { try resolver.payee(try required(fields.payee, "payee")) }
        let payeeName = try checks.check { try FieldText.optional(fields.payeeName, field: "payee_name") }
        let voucher = try checks.check { try FieldText.identifier(try required(fields.voucher, "voucher"), field: "voucher") }
        let purpose = try checks.check { try FieldText.optional(fields.purpose, field: "purpose") }
        let carryOver = try checks.check { try YesNo.parse(fields.carryOver, field: "carry_over") }
        try checks.throwIfAny()
        let disbursement = Disbursement(
            id: try id! ?? mintID(table: "disbursement", kind: "D", year: paidOn!.year, digits: 6),
            allocationID: allocation!, amount: amount!, paidOn: paidOn!, payeeCode: payee!,
            payeeName: payeeName!, voucher: voucher!, purpose: purpose!, carryOver: carryOver!
        )
        try insertNew(disbursement, entity: "disbursement", keyField: "id", keyValue: disbursement.id)
        return disbursement
    }

    /// Changes the given fields of a disbursement (`import disbursements --upsert`).
    public func updateDisbursement(id: String, _ fields: DisbursementFields) throws -> Change<Disbursement> {
        let key = TextNormalization.halfwidthTrimmed(id)
        guard let before = try store.find(Disbursement.self, key: [.text(key)]) else {
            throw InvalidValue(field: "id", value: FieldText.shown(id), reason: "no disbursement has this id", nextStep: .showFund)
        }
        var after = before
        var checks = FieldChecks()
        if let allocation = fields.allocation, let value = try checks.check({ try resolver.allocation(allocation) }) { after.allocationID = value }
        if let amount = fields.amount, let value = try checks.check({ try Money.positive(amount, field: "amount", bareUnit: fields.amountUnit) }) {
            after.amount = value
        }
        if let date = fields.paidOn, let value = try checks.check({ try ISODate.parse(date, field: "paid_on") }) { after.paidOn = value }
        if let payee = fields.payee, let value = try checks.check({ try resolver.payee(payee) }) { after.payeeCode = value }
        if let name = fields.payeeName, let value = try checks.check({ try FieldText.optional(name, field: "payee_name") }) { after.payeeName = value }
        if let voucher = fields.voucher, let value = try checks.check({ try FieldText.identifier(voucher, field: "voucher") }) {
            after.voucher = value
        }
        if let purpose = fields.purpose, let value = try checks.check({ try FieldText.optional(purpose, field: "purpose") }) { after.purpose = value }
        if fields.carryOver != nil, let value = try checks.check({ try YesNo.parse(fields.carryOver, field: "carry_over") }) { after.carryOver = value }
        try checks.throwIfAny()
        let changed = try store.update(from: before, to: after)
        return Change(before: before, after: after, changed: changed)
    }

    // MARK: Ids

    /// An id given by staff (a spreadsheet's own numbering), or nil to mint one.
    private func optionalID(_ text: String?) throws -> String? {
        guard let text, !text.trimmingWhitespace().isEmpty else { return nil }
        let id = try RecordKey.parse(text, field: "id", example: "A-HQ-2025-0001")
        noteTaken(id)
        return id
    }

    /// `A-HQ-2025-0001`: kind, this database's site, the year of the record's
    /// date, and the next number for that prefix. The write transaction is
    /// `BEGIN IMMEDIATE`, so no other writer can mint the same number; the
    /// site code keeps ids from two sites apart when their changes are merged.
    func mintID(table: String, kind: String, year: Int, digits: Int) throws -> String {
        let prefix = "\(kind)-\(try store.site().localCode)-\(year)-"
        var next = nextSequence[prefix] ?? 0
        if next == 0 {
            // Ids are only ever minted under this prefix with digits after it (and
            // `table` is one of two fixed names), so GLOB narrows to the prefix's
            // range of the primary-key index.
            let highest =
                try db.scalar(
                    "SELECT coalesce(max(CAST(substr(id, length(?1) + 1) AS INTEGER)), 0) FROM \(table) WHERE id GLOB ?2",
                    [.text(prefix), .text(prefix + "[0-9]*")], as: Int.self
                ) ?? 0
            next = highest + 1
        }
        nextSequence[prefix] = next + 1
        let number = String(next)
        return prefix + String(repeating: "0", count: max(0, digits - number.count)) + number
    }

    /// Keeps minting clear of an id that staff gave in our own form.
    private func noteTaken(_ id: String) {
        guard let dash = id.lastIndex(of: "-"), let number = Int(id[id.index(after: dash)...]) else { return }
        let prefix = String(id[...dash])
        if let next = nextSequence[prefix], next <= number { nextSequence[prefix] = number + 1 }
    }
}
