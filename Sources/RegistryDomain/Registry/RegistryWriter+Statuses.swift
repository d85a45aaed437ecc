import RegistryStorage

/// Enterprises' registration statuses and allocations' agreement periods:
/// what `payee-deregistered` and `payment-outside-agreement` read.
extension RegistryWriter {
    /// Records an enterprise's status (one per enterprise). With `replacing`,
    /// an existing status is changed (`enterprise status`, `import --upsert`);
    /// without, an enterprise that has one is refused (a plain import).
    @discardableResult
    public func setEnterpriseStatus(_ fields: EnterpriseStatusFields, replacing: Bool) throws -> Change<EnterpriseStatus> {
        var checks = FieldChecks()
        let uscc = try checks.check { () throws -> String in
            let text = try required(fields.uscc, "uscc")
            guard let found = try resolver.enterprise(text) else {
                throw InvalidValue(field: "uscc", value: FieldText.shown(text), reason: "no enterprise has this code or name", nextStep: .add(.enterprise))
            }
            return found.value
        }
        let status = try checks.check { try RegistrationStatus.parse(try required(fields.status, "status"), field: "status") }
        let since = try checks.check { try ISODate.parse(try required(fields.since, "since"), field: "since") }
        let notes = try checks.check { try FieldText.notes(fields.notes) }
        try checks.throwIfAny()
        let after = EnterpriseStatus(uscc: uscc!, status: status!, since: since!, notes: notes!)
        if let before = try store.find(EnterpriseStatus.self, key: after.key) {
            guard replacing else { throw DuplicateKeyError(entity: "enterprise status", field: "uscc", key: after.uscc) }
            return Change(before: before, after: after, changed: try store.update(from: before, to: after))
        }
        try store.insert(after)
        return Change(before: after, after: after, changed: true)
    }

    /// Records the period an allocation's agreement allows payments in.
    @discardableResult
    public func setAllocationPeriod(_ fields: AllocationPeriodFields, replacing: Bool) throws -> Change<AllocationPeriod> {
        var checks = FieldChecks()
        let allocation = try checks.check { try resolver.allocation(try required(fields.allocation, "allocation")) }
        let starts = try checks.check { try fields.startsOn.map { try ISODate.parse($0, field: "starts_on") } }
        let ends = try checks.check { try fields.endsOn.map { try ISODate.parse($0, field: "ends_on") } }
        try checks.throwIfAny()
        guard starts! != nil || ends! != nil else {
            throw InvalidValue(field: "starts_on", value: "", reason: "and ends_on are both empty; an agreement period needs a start, an end or both")
        }
        if let starts = starts!, let ends = ends!, ends < starts {
            throw InvalidValue(field: "ends_on", value: ends.description, reason: "is before the start of the period (\(starts))")
        }
        let after = AllocationPeriod(allocationID: allocation!, startsOn: starts!, endsOn: ends!)
        if let before = try store.find(AllocationPeriod.self, key: after.key) {
            guard replacing else { throw DuplicateKeyError(entity: "allocation period", field: "allocation", key: after.allocationID) }
            return Change(before: before, after: after, changed: try store.update(from: before, to: after))
        }
        try store.insert(after)
        return Change(before: after, after: after, changed: true)
    }
}

extension Registry {
    public func enterpriseStatuses() throws -> [EnterpriseStatus] {
        try read { try db.rows("\(EnterpriseStatus.table.selectSQL) ORDER BY uscc").map(EnterpriseStatus.init(row:)) }
    }

    public func allocationPeriods() throws -> [AllocationPeriod] {
        try read { try db.rows("\(AllocationPeriod.table.selectSQL) ORDER BY allocation_id").map(AllocationPeriod.init(row:)) }
    }
}
