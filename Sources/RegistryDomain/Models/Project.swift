import RegistryStorage

/// An investment project introduced into a park, or a people's-wellbeing programme.
public struct Project: Equatable, Sendable {
    public var code: String
    public var name: String
    public var kind: ProjectKind
    public var parkCode: String?
    public var enterpriseUSCC: USCC?
    public var sectorKey: String?
    public var plannedInvestment: Money
    public var signedOn: ISODate
    /// The current stage; the dated path to it is in `StageChange` rows.
    public var stage: ProjectStage
    public var notes: String?
}

/// A project as typed by staff; see `ParkFields`. `park`, `enterprise` and
/// `sector` may name the record by key or by exact name.
public struct ProjectFields: Sendable {
    public var code: String?
    public var name: String?
    public var kind: String?
    public var park: String?
    public var enterprise: String?
    public var sector: String?
    public var plannedInvestment: String?
    /// The unit a bare number in `plannedInvestment` is read in (a CSV header
    /// such as 计划总投资（万元） sets it).
    public var plannedInvestmentUnit: Money.Unit
    public var signedOn: String?
    public var stage: String?
    /// The date the project entered `stage` (阶段日期): needed for any stage
    /// but 签约, which is dated by `signedOn`. Never guessed.
    public var stageOn: String?
    /// The park's and enterprise's names as a ledger keeps them beside the
    /// codes: checked against the records the codes name, never stored.
    public var parkName: String?
    public var enterpriseName: String?
    public var notes: String?

    public init(
        code: String? = nil, name: String? = nil, kind: String? = nil, park: String? = nil,
        enterprise: String? = nil, sector: String? = nil, plannedInvestment: String? = nil,
        plannedInvestmentUnit: Money.Unit = .yuan, signedOn: String? = nil, stage: String? = nil,
        stageOn: String? = nil, parkName: String? = nil, enterpriseName: String? = nil, notes: String? = nil
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.park = park
        self.enterprise = enterprise
        self.sector = sector
        self.plannedInvestment = plannedInvestment
        self.plannedInvestmentUnit = plannedInvestmentUnit
        self.signedOn = signedOn
        self.stage = stage
        self.stageOn = stageOn
        self.parkName = parkName
        self.enterpriseName = enterpriseName
        self.notes = notes
    }
}

/// One dated step in a project's life.
public struct StageChange: Equatable, Sendable {
    public let projectCode: String
    public let stage: ProjectStage
    public let enteredOn: ISODate
}

extension Project: StoredRecord {
    static let table = TableSchema(
        name: "project", primaryKey: ["code"],
        columns: [
            "code", "name", "kind", "park_code", "enterprise_uscc", "sector_key",
            "planned_investment_fen", "signed_on", "stage", "notes",
        ]
    )

    var key: [SQLValue] { [.text(code)] }

    var values: [SQLValue] {
        [
            .text(code), .text(name), .text(kind.rawValue), parkCode.sqlValue, enterpriseUSCC?.value.sqlValue ?? .null,
            sectorKey.sqlValue, .integer(plannedInvestment.fen), .text(signedOn.description), .text(stage.rawValue),
            notes.sqlValue,
        ]
    }

    init(row: Row) throws {
        let signed: String = try row.get("signed_on")
        guard let signedOn = ISODate(iso: signed) else {
            throw UnexpectedStoredValue(column: "project.signed_on", value: signed, expected: "an ISO date")
        }
        self.init(
            code: try row.get("code"), name: try row.get("name"),
            kind: try ProjectKind.stored(try row.get("kind")),
            parkCode: try row.get("park_code"),
            enterpriseUSCC: (try row.get("enterprise_uscc", as: String?.self)).map(USCC.init(value:)),
            sectorKey: try row.get("sector_key"),
            plannedInvestment: Money(fen: try row.get("planned_investment_fen")),
            signedOn: signedOn, stage: try ProjectStage.stored(try row.get("stage")),
            notes: try row.get("notes")
        )
    }
}

extension StageChange {
    /// A project's dated stages, oldest first (the one query both reads and writes use).
    static func history(of code: String, in db: Database) throws -> [StageChange] {
        try db.rows("\(table.selectSQL) WHERE project_code = ? ORDER BY entered_on, rowid", [.text(code)])
            .map(StageChange.init(row:))
    }
}

extension StageChange: StoredRecord {
    static let table = TableSchema(
        name: "project_stage", primaryKey: ["project_code", "stage"],
        columns: ["project_code", "stage", "entered_on"])

    var key: [SQLValue] { [.text(projectCode), .text(stage.rawValue)] }

    var values: [SQLValue] { [.text(projectCode), .text(stage.rawValue), .text(enteredOn.description)] }

    init(row: Row) throws {
        let entered: String = try row.get("entered_on")
        guard let date = ISODate(iso: entered) else {
            throw UnexpectedStoredValue(column: "project_stage.entered_on", value: entered, expected: "an ISO date")
        }
        self.init(projectCode: try row.get("project_code"), stage: try ProjectStage.stored(try row.get("stage")), enteredOn: date)
    }
}

extension Project {
    /// Projects: kept in sheets (an import also records each project's first
    /// stage); frozen with the year they were signed in (see YearClose.swift).
    static let entity = Entity(
        table: table,
        file: FileFormat(
            kind: "projects",
            columns: [
                ImportColumn("code", ["项目编号", "项目代码"], required: true),
                ImportColumn("name", ["项目名称"], required: true),
                ImportColumn("kind", ["项目类型"]),
                ImportColumn("park", ["园区", "所属园区", "园区编号"]),
                ImportColumn("park_name", ["园区名称"], confirms: "park"),
                ImportColumn("enterprise", ["企业", "投资企业", "统一社会信用代码"]),
                ImportColumn("enterprise_name", ["企业名称", "投资企业"], confirms: "enterprise"),
                ImportColumn("sector", ["行业", "产业", "所属行业"]),
                ImportColumn(
                    "planned_investment", ["计划投资", "计划总投资", "总投资"], required: true, isMoney: true,
                    smallestPlausible: Money(fen: 10_000_000)),
                ImportColumn("signed_on", ["签约日期", "签约时间"], required: true),
                ImportColumn("stage", ["阶段", "项目状态"]),
                ImportColumn("stage_on", ["阶段日期", "状态日期", "终止日期"]),
                ImportColumn("notes", ["备注"]),
            ],
            alsoWrites: [StageChange.table.name],
            add: { row, writer in _ = try writer.addProject(ProjectFields(row)) },
            update: { key, row, writer in try writer.updateProject(code: key, ProjectFields(row)).fieldChanges },
            export: { registry, filter, row in
                try registry.forEachProject(filter.projects, stageDates: true) { item in
                    let project = item.project
                    try row([
                        .text(project.code), .text(project.name), .text(project.kind.rawValue), .text(project.parkCode), .text(item.parkName),
                        .text(project.enterpriseUSCC?.value), .text(item.enterpriseName), .text(project.sectorKey),
                        .text(project.plannedInvestment.plainYuan), .text(project.signedOn.description), .text(project.stage.rawValue),
                        .text(project.stage == .signed ? nil : item.stageOn?.description), .text(project.notes),
                    ])
                }
            }
        )
    )
}

extension ProjectFields {
    /// An empty kind or stage cell means the default, as when the column is absent.
    init(_ row: ImportRow) {
        self.init(
            code: row("code"), name: row("name"), kind: row.nonEmpty("kind"), park: row("park"),
            enterprise: row("enterprise"), sector: row("sector"), plannedInvestment: row("planned_investment"),
            plannedInvestmentUnit: row.unit("planned_investment"), signedOn: row("signed_on"),
            stage: row.nonEmpty("stage"), stageOn: row.nonEmpty("stage_on"), parkName: row.nonEmpty("park_name"),
            enterpriseName: row.nonEmpty("enterprise_name"), notes: row("notes")
        )
    }
}

extension StageChange {
    /// Stage changes: written by `project stage` and project imports; frozen
    /// with the year of their date.
    static let entity = Entity(table: table)
}
