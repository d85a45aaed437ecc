import RegistryStorage

/// Everything registry knows about one recorded entity, in one place: its
/// table (name, key, columns), and, when staff keep it in sheets, its file
/// format (the import columns with their Chinese headers, how a row becomes
/// a write through the single write path, how a record becomes an export row).
///
/// The change log, `verify`, `log --table`, import, export and the seed loader
/// are all driven by the registered entities (`EntitySet`). Whether a record
/// freezes with its year is its type's `closingYear`, which every
/// `StoredRecord` must state (there is no default). Adding an entity is a
/// migration, a model file with its `entity`, a writer method, a command file
/// and one line in `EntitySet.builtIn` (Documentation/Design.md).
public struct Entity: Sendable {
    let table: TableSchema
    /// nil: not imported or exported as a file (sectors, targets, …).
    let file: FileFormat?

    init(table: TableSchema, file: FileFormat? = nil) {
        precondition(file == nil || table.primaryKey.count == 1, "an imported entity has a one-column key")
        self.table = table
        self.file = file
    }

    public var tableName: String { table.name }
}

/// How an entity's records travel as a sheet (CSV, later `.xlsx`).
public struct FileFormat: Sendable {
    /// The word in `registry import <kind>` and `registry export <kind>`.
    public let kind: ImportKind
    /// The columns: canonical English name, the Chinese headers staff use,
    /// whether a file must have it. Export writes exactly these, in this order.
    public let columns: [ImportColumn]
    /// Tables an import also writes besides the entity's own (a project's stages).
    let alsoWrites: [String]
    /// Adds one record from a row (the same `RegistryWriter` method as `add`).
    let add: @Sendable (ImportRow, RegistryWriter) throws -> Void
    /// Updates the record with `key` from a row (`--upsert`); what changed (nothing: empty).
    let update: @Sendable (String, ImportRow, RegistryWriter) throws -> [FieldChange]
    /// Every record that passes the filter, as export cells in `columns`
    /// order, handed over one at a time as they are read.
    let export: @Sendable (Registry, ExportFilter, _ row: ([ExportCell]) throws -> Void) throws -> Void

    init(
        kind: String, columns: [ImportColumn], alsoWrites: [String] = [],
        add: @escaping @Sendable (ImportRow, RegistryWriter) throws -> Void,
        update: @escaping @Sendable (String, ImportRow, RegistryWriter) throws -> [FieldChange],
        export: @escaping @Sendable (Registry, ExportFilter, _ row: ([ExportCell]) throws -> Void) throws -> Void
    ) {
        self.kind = ImportKind(name: kind)
        self.columns = columns
        self.alsoWrites = alsoWrites
        self.add = add
        self.update = update
        self.export = export
    }
}

/// One row of an import file, by canonical column name.
public struct ImportRow {
    /// The cell of a column; nil when the file has no such column.
    let value: (String) -> String?
    /// The unit a header set for bare numbers in its column (`计划总投资（万元）`).
    let units: [String: Money.Unit]

    func callAsFunction(_ field: String) -> String? { value(field) }

    /// The cell, with an empty one read as absent (so the default applies).
    func nonEmpty(_ field: String) -> String? {
        guard let text = value(field), !text.trimmingWhitespace().isEmpty else { return nil }
        return text
    }

    func unit(_ field: String) -> Money.Unit { units[field] ?? .yuan }
}

/// One cell of an export: text (exact, e.g. yuan with two decimals) or a whole number.
public enum ExportCell: Sendable, Equatable {
    case text(String?)
    case integer(Int64)
}

/// What `export` may be narrowed to; each entity uses the filters that apply to it.
public struct ExportFilter: Sendable {
    public var projects: ProjectFilter
    /// Enterprises of this city.
    public var city: String?

    public init(projects: ProjectFilter = ProjectFilter(), city: String? = nil) {
        self.projects = projects
        self.city = city
    }
}

/// The entities a registry records, in dependency order (a referenced table
/// before the tables that refer to it), and the migrations that make their tables.
public struct EntitySet: Sendable {
    public let entities: [Entity]
    /// Migrations beyond those in Migrations/ (an entity registered by a test).
    let extraMigrations: [Migration]
    /// The schema as an older release made it: migrations up to this version
    /// only (the upgrade tests write history the way that release did).
    var versionLimit: Int? = nil

    /// Registry's own entities: one line each.
    public static let builtIn = EntitySet(
        entities: [
            LocalSite.entity,
            RegistryIdentity.entity,
            Sector.entity,
            Park.entity,
            Enterprise.entity,
            Project.entity,
            StageChange.entity,
            Target.entity,
            Fund.entity,
            Allocation.entity,
            Disbursement.entity,
            EnterpriseStatus.entity,
            AllocationPeriod.entity,
            YearClose.entity,
            Site.entity,
            AppliedBundle.entity,
            SyncResolution.entity,
            Finding.entity,
            UserAccount.entity,
        ],
        extraMigrations: []
    )

    /// This set with one more entity, whose table `migration` makes.
    func adding(_ entity: Entity, migration: Migration) -> EntitySet {
        EntitySet(entities: entities + [entity], extraMigrations: extraMigrations + [migration])
    }

    /// The migrations of Migrations/ and those of the added entities.
    var migrator: Migrator {
        let all = extraMigrations.isEmpty ? Registry.builtInMigrator : Registry.builtInMigrator.adding(extraMigrations)
        return versionLimit.map(all.upTo) ?? all
    }

    /// This set as a release whose newest migration was `version` had it.
    func asOf(version: Int) -> EntitySet {
        var set = self
        set.versionLimit = version
        return set
    }

    var tables: [TableSchema] { entities.map(\.table) }

    func table(named name: String) -> TableSchema? {
        entities.first { $0.table.name.sameBytes(as: name) }?.table
    }

    /// The kinds of file that import and export accept.
    public var importKinds: [ImportKind] { entities.compactMap { $0.file?.kind } }

    func format(of kind: ImportKind) -> (Entity, FileFormat)? {
        for entity in entities {
            if let file = entity.file, file.kind == kind { return (entity, file) }
        }
        return nil
    }
}
