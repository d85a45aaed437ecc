import RegistryStorage

extension RegistryWriter {
    /// Closes a year: its records (projects signed, stages entered, targets,
    /// funds, allocations approved and disbursements paid in it) refuse any
    /// change until it is reopened. Records the change log's head at closing.
    @discardableResult
    public func closeYear(_ yearText: String, reason reasonText: String) throws -> YearClose {
        let year = try Year.parse(yearText)
        let reason = try FieldText.required(reasonText, field: "reason")
        let head = try store.log.head
        let closing = YearClose(year: year, closed: true, reason: reason, head: head)
        if let before = try store.find(YearClose.self, key: closing.key) {
            guard !before.closed else {
                throw InvalidValue(field: "year", value: String(year), reason: "is already closed (\(before.reason))", nextStep: .list(.year))
            }
            try store.update(from: before, to: closing)
        } else {
            try store.insert(closing)
        }
        store.forgetClosedYears()
        return closing
    }

    /// Reopens a closed year, so that its records can be corrected; the
    /// reason is kept with the year and in the change log.
    @discardableResult
    public func reopenYear(_ yearText: String, reason reasonText: String) throws -> YearClose {
        let year = try Year.parse(yearText)
        let reason = try FieldText.required(reasonText, field: "reason")
        guard let before = try store.find(YearClose.self, key: [.integer(Int64(year))]), before.closed else {
            throw InvalidValue(field: "year", value: String(year), reason: "is not closed", nextStep: .list(.year))
        }
        let reopened = YearClose(year: year, closed: false, reason: reason, head: try store.log.head)
        try store.update(from: before, to: reopened)
        store.forgetClosedYears()
        return reopened
    }
}
