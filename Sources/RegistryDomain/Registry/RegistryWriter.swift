import RegistryStorage

/// The single write path: every change any command makes is a call here,
/// inside the transaction opened by `Registry.write`.
///
/// Each method validates its raw input (the same code for a CLI option and a
/// spreadsheet cell), checks references and rules against the database, and
/// hands the resulting rows to `RowStore`.
public final class RegistryWriter {
    let store: RowStore
    public let context: WriteContext

    init(store: RowStore, context: WriteContext) {
        self.store = store
        self.context = context
    }

    var db: Database { store.db }

    // MARK: Parks

    @discardableResult
    public func addPark(_ fields: ParkFields) throws -> Park {
        let park = try Park(validating: fields)
        if try store.find(Park.self, key: park.key) != nil {
            throw ValidationError(field: "code", value: park.code, reason: "a park with this code already exists; use `registry park update` to change it")
        }
        try checkParkNameFree(park)
        try store.insert(park)
        return park
    }

    public func updatePark(code: String, _ fields: ParkFields) throws -> Change<Park> {
        let before = try existingPark(code)
        let after = try before.applying(fields)
        try checkParkNameFree(after)
        let changed = try store.update(from: before, to: after)
        return Change(before: before, after: after, changed: changed)
    }

    private func checkParkNameFree(_ park: Park) throws {
        if let other = try db.scalar("SELECT code FROM park WHERE name = ? AND code <> ?", [.text(park.name), .text(park.code)], as: String.self) {
            throw ValidationError(field: "name", value: park.name, reason: "is already the name of park \(other); park names are unique")
        }
    }

    func existingPark(_ code: String) throws -> Park {
        let key = TextNormalization.halfwidthTrimmed(code)
        guard let park = try store.find(Park.self, key: [.text(key)]) else {
            throw ValidationError(field: "code", value: FieldText.shown(code), reason: "no park has this code; see `registry park list`")
        }
        return park
    }

    // MARK: Enterprises

    @discardableResult
    public func addEnterprise(_ fields: EnterpriseFields) throws -> Enterprise {
        let enterprise = try Enterprise(validating: fields)
        if try store.find(Enterprise.self, key: enterprise.key) != nil {
            throw ValidationError(field: "uscc", value: enterprise.uscc.value, reason: "an enterprise with this code already exists; use `registry enterprise update` to change it")
        }
        try checkEnterpriseNameFree(enterprise)
        try store.insert(enterprise)
        return enterprise
    }

    public func updateEnterprise(uscc: String, _ fields: EnterpriseFields) throws -> Change<Enterprise> {
        let code = try USCC.parse(uscc)
        guard let before = try store.find(Enterprise.self, key: [.text(code.value)]) else {
            throw ValidationError(field: "uscc", value: code.value, reason: "no enterprise has this code; see `registry enterprise list`")
        }
        let after = try before.applying(fields)
        try checkEnterpriseNameFree(after)
        let changed = try store.update(from: before, to: after)
        return Change(before: before, after: after, changed: changed)
    }

    private func checkEnterpriseNameFree(_ enterprise: Enterprise) throws {
        if let other = try db.scalar("SELECT uscc FROM enterprise WHERE name = ? AND uscc <> ?", [.text(enterprise.name), .text(enterprise.uscc.value)], as: String.self) {
            throw ValidationError(field: "name", value: enterprise.name, reason: "is already the name of enterprise \(other); enterprise names are unique")
        }
    }

    // MARK: Projects

    /// Adds a project and its first stage(s). A stage given at once (from a
    /// spreadsheet, say) is dated at the signing date, as no other date is known.
    @discardableResult
    public func addProject(_ fields: ProjectFields) throws -> Project {
        let code = try ProjectCode.parse(try required(fields.code, "code"))
        if try store.find(Project.self, key: [.text(code)]) != nil {
            throw ValidationError(field: "code", value: code, reason: "a project with this code already exists; use `registry project update` to change it")
        }
        let resolver = ReferenceResolver(db: db)
        let kind = try ProjectKind.parse(fields.kind ?? ProjectKind.investment.rawValue, field: "kind")
        let project = Project(
            code: code,
            name: try FieldText.required(try required(fields.name, "name"), field: "name"),
            kind: kind,
            parkCode: try fields.park.flatMap { try resolver.park($0) },
            enterpriseUSCC: try fields.enterprise.flatMap { try resolver.enterprise($0) },
            sectorKey: try fields.sector.flatMap { try resolver.sector($0) },
            plannedInvestment: try Money.parse(try required(fields.plannedInvestment, "planned_investment"),
                                               field: "planned_investment", bareUnit: fields.plannedInvestmentUnit),
            signedOn: try ISODate.parse(try required(fields.signedOn, "signed_on"), field: "signed_on"),
            stage: try fields.stage.map { try ProjectStage.parse($0, field: "stage") } ?? .signed,
            notes: try FieldText.notes(fields.notes)
        )
        try checkComplete(project)
        try store.insert(project)
        try store.insert(StageChange(projectCode: code, stage: .signed, enteredOn: project.signedOn))
        if project.stage != .signed {
            try store.insert(StageChange(projectCode: code, stage: project.stage, enteredOn: project.signedOn))
        }
        return project
    }

    /// Changes the given fields of a project. The stage is changed only by
    /// `changeStage`, so that its dated history stays whole.
    public func updateProject(code: String, _ fields: ProjectFields) throws -> Change<Project> {
        let before = try existingProject(code)
        if let stage = fields.stage, try ProjectStage.parse(stage, field: "stage") != before.stage {
            throw ValidationError(field: "stage", value: stage, reason: "is changed with `registry project stage`, which dates the change")
        }
        let resolver = ReferenceResolver(db: db)
        var after = before
        if let name = fields.name { after.name = try FieldText.required(name, field: "name") }
        if let kind = fields.kind { after.kind = try ProjectKind.parse(kind, field: "kind") }
        if let park = fields.park { after.parkCode = try resolver.park(park) }
        if let enterprise = fields.enterprise { after.enterpriseUSCC = try resolver.enterprise(enterprise) }
        if let sector = fields.sector { after.sectorKey = try resolver.sector(sector) }
        if let amount = fields.plannedInvestment {
            after.plannedInvestment = try Money.parse(amount, field: "planned_investment", bareUnit: fields.plannedInvestmentUnit)
        }
        if let notes = fields.notes { after.notes = try FieldText.notes(notes) }
        if let signed = fields.signedOn {
            after.signedOn = try ISODate.parse(signed, field: "signed_on")
            let history = try stageHistory(of: before.code)
            if let firstLater = history.first(where: { $0.stage != .signed }), after.signedOn > firstLater.enteredOn {
                throw ValidationError(field: "signed_on", value: signed, reason: "is after the project entered \(firstLater.stage.rawValue) on \(firstLater.enteredOn); a project is signed first")
            }
            if let signedStep = history.first(where: { $0.stage == .signed }) {
                try store.update(from: signedStep, to: StageChange(projectCode: before.code, stage: .signed, enteredOn: after.signedOn))
            }
        }
        try checkComplete(after)
        let changed = try store.update(from: before, to: after)
        return Change(before: before, after: after, changed: changed)
    }

    /// Moves a project to `stage` on `date`: forward only, never before its
    /// last change, never out of cancelled.
    @discardableResult
    public func changeStage(code: String, to stageText: String, on dateText: String) throws -> StageChange {
        let before = try existingProject(code)
        let stage = try ProjectStage.parse(stageText, field: "stage")
        let date = try ISODate.parse(dateText, field: "on")
        guard before.stage.canMove(to: stage) else {
            let reason = before.stage == .cancelled
                ? "project \(before.code) is cancelled, which is final"
                : "project \(before.code) is already \(before.stage.rawValue); stages only move forward (signed → construction → operating) or to cancelled"
            throw ValidationError(field: "stage", value: stageText, reason: reason)
        }
        let last = try stageHistory(of: before.code).max { $0.enteredOn < $1.enteredOn }
        if let last, date < last.enteredOn {
            throw ValidationError(field: "on", value: dateText, reason: "is before the project's last stage change (\(last.stage.rawValue) on \(last.enteredOn)); stage changes cannot go back in time")
        }
        let step = StageChange(projectCode: before.code, stage: stage, enteredOn: date)
        try store.insert(step)
        var after = before
        after.stage = stage
        try store.update(from: before, to: after)
        return step
    }

    func existingProject(_ code: String) throws -> Project {
        let key = TextNormalization.halfwidthTrimmed(code)
        guard let project = try store.find(Project.self, key: [.text(key)]) else {
            throw ValidationError(field: "code", value: FieldText.shown(code), reason: "no project has this code; see `registry project list`")
        }
        return project
    }

    func stageHistory(of code: String) throws -> [StageChange] {
        try db.rows("\(StageChange.table.selectSQL) WHERE project_code = ? ORDER BY entered_on, rowid", [.text(code)])
            .map(StageChange.init(row:))
    }

    /// An investment project needs a park, an enterprise and a sector.
    private func checkComplete(_ project: Project) throws {
        guard project.kind == .investment else { return }
        for (field, missing) in [("park", project.parkCode == nil), ("enterprise", project.enterpriseUSCC == nil), ("sector", project.sectorKey == nil)] where missing {
            throw ValidationError(field: field, value: "", reason: "is required for an investment project")
        }
    }
}

/// What an update did: the record before and after, and whether anything changed.
public struct Change<Record: Sendable>: Sendable {
    public let before: Record
    public let after: Record
    public let changed: Bool
}
