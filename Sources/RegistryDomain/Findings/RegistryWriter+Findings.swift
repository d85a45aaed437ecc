import RegistryStorage

/// What `audit run --record` did to the register.
public struct FindingsRecorded: Sendable {
    /// Findings seen for the first time.
    public let added: Int
    /// Findings found again (the same rule and records).
    public let foundAgain: Int
    /// Rectified findings their rule found again: reopened (status open).
    public let reopened: [String]
    /// Findings of the rules that ran that this run no longer finds.
    public let noLongerFound: Int
    /// Findings of closed years, left as the register has them.
    public let closedYears: Int
}

extension RegistryWriter {
    /// Records an audit's findings in the register. A finding is the same
    /// finding when its rule and the records it names are (`Finding.identity`);
    /// a rectified one found again is reopened; one of a rule that ran (to
    /// the end) in the audited year that is not found any more is marked so,
    /// never deleted. Findings of closed years are left as they are.
    public func recordFindings(_ result: AuditResult) throws -> FindingsRecorded {
        let closed = Set(try db.rows("SELECT year FROM year_close WHERE closed = 1").map { try $0.get("year", as: Int.self) })
        var seen: Set<ExactText> = []
        var added = 0, again = 0, skipped = 0
        var reopened: [String] = []
        try result.forEachFinding { found in
            let id = Finding.identity(of: found)
            let year = result.year ?? found.date.flatMap(ISODate.init(iso:))?.year ?? result.asOf.year
            guard !closed.contains(year) else {
                skipped += 1
                return
            }
            guard seen.insert(ExactText(id)).inserted else { return }
            guard let before = try store.find(Finding.self, key: [.text(id)]) else {
                try store.insert(
                    Finding(
                        id: id, rule: found.rule, year: year, severity: found.severity, fund: found.fund, allocation: found.allocation,
                        disbursement: found.disbursement, project: found.project, payee: found.payee, reason: found.reason,
                        firstFound: result.asOf, lastFound: result.asOf, stillFound: true, status: .open, note: nil, document: nil,
                        changedBy: context.actor, changedAt: context.time))
                added += 1
                return
            }
            var after = before
            after.severity = found.severity
            after.reason = found.reason
            after.lastFound = max(before.lastFound, result.asOf)
            after.stillFound = true
            if before.status == .rectified {
                after.status = .open
                after.note = "整改后复现：\(result.asOf) 再次发现 (found again after rectification)"
                after.document = nil
                after.changedBy = context.actor
                after.changedAt = context.time
                reopened.append(id)
            }
            try store.update(from: before, to: after)
            again += 1
        }
        let complete = result.rules.map(\.id).filter { result.stoppedRules[$0] == nil }
        var gone = 0
        for row in try db.rows(
            "\(Finding.table.selectSQL) WHERE still_found = 1 AND (?1 IS NULL OR year = ?1)", [result.year.map { .integer(Int64($0)) } ?? .null])
        {
            let before = try Finding(row: row)
            guard complete.contains(where: { $0.sameBytes(as: before.rule) }), !seen.contains(ExactText(before.id)), !closed.contains(before.year) else {
                continue
            }
            var after = before
            after.stillFound = false
            try store.update(from: before, to: after)
            gone += 1
        }
        return FindingsRecorded(added: added, foundAgain: again, reopened: reopened, noLongerFound: gone, closedYears: skipped)
    }

    /// `finding explain|confirm|dismiss|rectify`: moves a finding on, with a
    /// note (required) and a document number (整改文号, optional).
    @discardableResult
    public func changeFinding(_ idText: String, to status: FindingStatus, note noteText: String, document documentText: String?) throws -> Finding {
        let id = TextNormalization.halfwidthTrimmed(idText)
        guard let before = try store.find(Finding.self, key: [.text(id)]) else {
            throw InvalidValue(field: "id", value: FieldText.shown(idText), reason: "no finding has this id; the register lists them")
        }
        guard before.status.next.contains(status) else {
            let allowed = before.status.next.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: ", ")
            throw InvalidValue(
                field: "status", value: status.rawValue,
                reason: "finding \(id) is \(before.status.rawValue) (\(before.status.chineseName)); "
                    + (allowed.isEmpty ? "it does not move on by hand" : "it can move to \(allowed)"))
        }
        var after = before
        after.status = status
        after.note = try FieldText.required(noteText, field: "note")
        after.document = try FieldText.optionalIdentifier(documentText, field: "doc", maximumLength: FieldText.maximumNameLength)
        after.changedBy = context.actor
        after.changedAt = context.time
        try store.update(from: before, to: after)
        return after
    }
}
