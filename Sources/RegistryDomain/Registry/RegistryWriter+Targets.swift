import RegistryStorage

extension RegistryWriter {
    /// Sets one or both targets of a year and scope; a target set again is
    /// replaced, and records who set it and when.
    ///
    /// - returns: the targets as now stored, projects first.
    @discardableResult
    public func setTarget(_ fields: TargetFields) throws -> [Target] {
        var checks = FieldChecks()
        let year = try checks.check { try Year.parse(fields.year) }
        let scope = try checks.check { try targetScope(fields.scope) }
        let projects = try checks.check { try fields.projects.map(Self.projectCount) }
        let investment = try checks.check { () throws -> Money? in
            guard let text = fields.investment else { return nil }
            let amount = try Money.parse(text, field: "investment")
            guard amount.fen > 0 else { throw InvalidValue(field: "investment", value: text, reason: "must be more than zero") }
            return amount
        }
        try checks.throwIfAny()
        guard projects! != nil || investment! != nil else {
            throw InvalidValue(field: "projects", value: "", reason: "no target given", nextStep: .giveTargets)
        }
        var stored: [Target] = []
        for (metric, value) in [(TargetMetric.projects, projects!), (.investment, investment!?.fen)] {
            guard let value else { continue }
            let target = Target(year: year!, metric: metric, scope: scope!, value: value, setBy: context.actor, setAt: context.time)
            if let before = try store.find(Target.self, key: target.key) {
                try store.update(from: before, to: target)
            } else {
                try store.insert(target)
            }
            stored.append(target)
        }
        return stored
    }

    /// Removes the targets of a year and scope (one metric, or both).
    ///
    /// - returns: what was removed; refuses when there was nothing to remove.
    @discardableResult
    public func removeTarget(year yearText: String, scope scopeText: String = "all", metric metricText: String? = nil) throws -> [Target] {
        let year = try Year.parse(yearText)
        let scope = try targetScope(scopeText)
        let metrics = try metricText.map { [try TargetMetric.parse($0, field: "metric")] } ?? TargetMetric.allCases
        var removed: [Target] = []
        for metric in metrics {
            let key: [SQLValue] = [.integer(Int64(year)), .text(metric.rawValue), .text(scope.description)]
            if let target = try store.find(Target.self, key: key) {
                try store.delete(target)
                removed.append(target)
            }
        }
        guard !removed.isEmpty else {
            throw InvalidValue(
                field: "scope", value: scope.description, reason: "has no \(metricText ?? "") target for \(year)", nextStep: .listTargets(year: year))
        }
        return removed
    }

    /// A scope with its reference checked: the park, county or sector must exist.
    func targetScope(_ text: String) throws -> TargetScope {
        let (kind, value) = try TargetScope.parse(text)
        switch kind {
        case "all": return .all
        case "level": return .level(try ParkLevel.parse(value, field: "scope"))
        case "park":
            do {
                return .park(try resolver.park(value)!)
            } catch let error as InvalidValue {
                throw InvalidValue(field: "scope", value: text, reason: error.reason)
            }
        case "sector":
            do {
                return .sector(try resolver.sector(value)!)
            } catch let error as InvalidValue {
                throw InvalidValue(field: "scope", value: text, reason: error.reason)
            }
        default:
            guard try db.scalar("SELECT count(*) FROM park WHERE county = ?", [.text(value)], as: Int.self)! > 0 else {
                let counties = try db.rows("SELECT DISTINCT county FROM park ORDER BY county").map { try $0.get("county", as: String.self) }
                throw InvalidValue(
                    field: "scope", value: text, reason: "names no county of any park; counties with parks: \(counties.joined(separator: ", "))")
            }
            return .county(value)
        }
    }

    /// A project-count target: a whole number from 1 up.
    static func projectCount(_ text: String) throws -> Int64 {
        let trimmed = TextNormalization.halfwidthTrimmed(text)
        guard let count = Int64(trimmed), count > 0, count <= 1_000_000 else {
            throw InvalidValue(
                field: "projects", value: FieldText.shown(text), reason: "is not a number of projects; accepted: a whole number from 1 to 1000000")
        }
        return count
    }
}
