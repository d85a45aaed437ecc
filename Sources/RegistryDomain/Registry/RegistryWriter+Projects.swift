import RegistryStorage

extension RegistryWriter {
    // MARK: Projects

    /// Adds a project and its first stage(s). A stage other than 签约 needs
    /// the date it was entered (`stageOn`): it is never dated back to the
    /// signing date, which would move a project cancelled in 2025 out of 2024.
    @discardableResult
    public func addProject(_ fields: ProjectFields) throws -> Project {
        // Every field is checked before any error is thrown, so that an import
        // reports all the bad cells of a row at once.
        var checks = FieldChecks()
        let code = try checks.check { try ProjectCode.parse(try required(fields.code, "code")) }
        let name = try checks.check { try FieldText.required(try required(fields.name, "name"), field: "name") }
        let kind = try checks.check { try ProjectKind.parse(fields.kind ?? ProjectKind.investment.rawValue, field: "kind") }
        let park = try checks.check { try fields.park.flatMap { try resolver.park($0) } }
        let enterprise = try checks.check { try fields.enterprise.flatMap { try resolver.enterprise($0) } }
        let sector = try checks.check { try fields.sector.flatMap { try resolver.sector($0) } }
        let planned = try checks.check {
            try Money.parse(try required(fields.plannedInvestment, "planned_investment"), field: "planned_investment", bareUnit: fields.plannedInvestmentUnit)
        }
        let signedOn = try checks.check { try ISODate.parse(try required(fields.signedOn, "signed_on"), field: "signed_on") }
        let stage = try checks.check { try fields.stage.map { try ProjectStage.parse($0, field: "stage") } ?? .signed }
        let stageOn = try checks.check { try fields.stageOn.map { try ISODate.parse($0, field: "stage_on") } }
        let notes = try checks.check { try FieldText.notes(fields.notes) }
        if let park = park ?? nil { try checks.check { try confirmParkName(fields.parkName, of: park) } }
        if let enterprise = enterprise ?? nil { try checks.check { try confirmEnterpriseName(fields.enterpriseName, of: enterprise) } }
        if let stage, let signedOn, case .some(let date) = stageOn {
            try checks.check { try checkStageDate(stage, on: date, text: fields.stageOn, signedOn: signedOn) }
        }
        try checks.throwIfAny()
        let project = Project(
            code: code!, name: name!, kind: kind!, parkCode: park!, enterpriseUSCC: enterprise!, sectorKey: sector!,
            plannedInvestment: planned!, signedOn: signedOn!, stage: stage!, notes: notes!
        )
        try checkComplete(project)
        try insertNew(project, entity: "project", keyField: "code", keyValue: project.code)
        try store.insert(StageChange(projectCode: project.code, stage: .signed, enteredOn: project.signedOn))
        if project.stage != .signed {
            try store.insert(StageChange(projectCode: project.code, stage: project.stage, enteredOn: stageOn!!))
        }
        return project
    }

    /// A stage's date, for a project signed on `signedOn`: 签约 is dated by the
    /// signing date itself; any other stage needs its own, not before it.
    func checkStageDate(_ stage: ProjectStage, on date: ISODate?, text: String?, signedOn: ISODate) throws {
        let shown = FieldText.shown(text ?? "")
        if stage == .signed {
            if let date, date != signedOn {
                throw InvalidValue(
                    field: "stage_on", value: shown, reason: "is not the signing date \(signedOn); the stage 签约 is dated by the signing date")
            }
            return
        }
        guard let date else {
            throw InvalidValue(
                field: "stage_on", value: shown,
                reason: "is needed for the stage \(stage.chineseName): the date the project entered it (it is never dated back to the signing date)")
        }
        if date < signedOn {
            throw InvalidValue(field: "stage_on", value: shown, reason: "is before the signing date \(signedOn); a project is signed first")
        }
    }

    /// A park or enterprise name a ledger gives beside the code must be
    /// that record's (`stored`, width-folded), compared by Unicode scalars
    /// after width folding, so a look-alike is a mismatch.
    func confirmName(_ given: String?, field: String, of entity: String, key: String, stored: () throws -> String) throws {
        guard let given else { return }
        let wanted = TextNormalization.halfwidthTrimmed(given)
        guard !wanted.isEmpty else { return }
        let name = try stored()
        if !wanted.sameBytes(as: name) {
            throw InvalidValue(
                field: field, value: FieldText.shown(given), reason: "is not the name of \(Message.term(entity)) \(key), which is \(FieldText.shown(name))")
        }
    }

    func confirmParkName(_ given: String?, of code: String) throws {
        try confirmName(given, field: "park_name", of: "park", key: code) { try resolver.name(ofPark: code) }
    }

    func confirmEnterpriseName(_ given: String?, of uscc: USCC) throws {
        try confirmName(given, field: "enterprise_name", of: "enterprise", key: uscc.value) { try resolver.name(ofEnterprise: uscc) }
    }

    /// Changes the given fields of a project. The stage changes only with
    /// the date of the change (`stageOn`), through `changeStage`, so that its
    /// dated history stays whole.
    public func updateProject(code: String, _ fields: ProjectFields) throws -> Change<Project> {
        let before = try existingProject(code)
        var newStage: (ProjectStage, String)?
        if let stage = fields.stage, case let parsed = try ProjectStage.parse(stage, field: "stage"), parsed != before.stage {
            guard let on = fields.stageOn else {
                throw InvalidValue(
                    field: "stage_on", value: "",
                    reason: "is needed to move the project to \(parsed.chineseName): the date of the change", nextStep: .changeStage)
            }
            newStage = (parsed, on)
        }
        var after = before
        if let name = fields.name { after.name = try FieldText.required(name, field: "name") }
        if let kind = fields.kind { after.kind = try ProjectKind.parse(kind, field: "kind") }
        if let park = fields.park { after.parkCode = try resolver.park(park) }
        if let enterprise = fields.enterprise { after.enterpriseUSCC = try resolver.enterprise(enterprise) }
        if let park = after.parkCode { try confirmParkName(fields.parkName, of: park) }
        if let enterprise = after.enterpriseUSCC { try confirmEnterpriseName(fields.enterpriseName, of: enterprise) }
        if let sector = fields.sector { after.sectorKey = try resolver.sector(sector) }
        if let amount = fields.plannedInvestment {
            after.plannedInvestment = try Money.parse(amount, field: "planned_investment", bareUnit: fields.plannedInvestmentUnit)
        }
        if let notes = fields.notes { after.notes = try FieldText.notes(notes) }
        if let signed = fields.signedOn {
            after.signedOn = try ISODate.parse(signed, field: "signed_on")
            let history = try stageHistory(of: before.code)
            if let firstLater = history.first(where: { $0.stage != .signed }), after.signedOn > firstLater.enteredOn {
                throw InvalidValue(
                    field: "signed_on", value: signed,
                    reason: "is after the project entered \(Message.term(firstLater.stage.rawValue)) on \(firstLater.enteredOn); a project is signed first")
            }
            if let signedStep = history.first(where: { $0.stage == .signed }) {
                try store.update(from: signedStep, to: StageChange(projectCode: before.code, stage: .signed, enteredOn: after.signedOn))
            }
        }
        if newStage == nil, let text = fields.stageOn {
            // The same stage: its date must be the one recorded (a date is not rewritten by an upsert).
            let date = try ISODate.parse(text, field: "stage_on")
            let recorded = before.stage == .signed ? after.signedOn : try stageHistory(of: before.code).last { $0.stage == before.stage }?.enteredOn
            if let recorded, date != recorded {
                throw InvalidValue(
                    field: "stage_on", value: FieldText.shown(text),
                    reason: "is not the date the project entered \(before.stage.chineseName), \(recorded); a stage's date is not rewritten")
            }
        }
        try checkComplete(after)
        var changed = try store.update(from: before, to: after)
        if let (stage, on) = newStage {
            try changeStage(code: before.code, to: stage.rawValue, on: on)
            after.stage = stage
            changed = true
        }
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
            let reason: Message =
                before.stage == .cancelled
                ? "project \(before.code) is cancelled, which is final"
                : "project \(before.code) is already \(Message.term(before.stage.rawValue)); stages only move forward (signed → construction → operating) or to cancelled"
            throw InvalidValue(field: "stage", value: stageText, reason: reason)
        }
        let last = try stageHistory(of: before.code).max { $0.enteredOn < $1.enteredOn }
        if let last, date < last.enteredOn {
            throw InvalidValue(
                field: "on", value: dateText,
                reason:
                    "is before the project's last stage change (\(Message.term(last.stage.rawValue)) on \(last.enteredOn)); stage changes cannot go back in time"
            )
        }
        let step = StageChange(projectCode: before.code, stage: stage, enteredOn: date)
        try store.insert(step)
        var after = before
        after.stage = stage
        try store.update(from: before, to: after)
        return step
    }

    func existingProject(_ code: String) throws -> Project {
        guard let key = try ProjectCode.storedKey(code, in: db), let project = try store.find(Project.self, key: [.text(key)]) else {
            throw InvalidValue(field: "code", value: FieldText.shown(code), reason: "no project has this code", nextStep: .list(.project))
        }
        return project
    }

    func stageHistory(of code: String) throws -> [StageChange] {
        try StageChange.history(of: code, in: db)
    }
}
