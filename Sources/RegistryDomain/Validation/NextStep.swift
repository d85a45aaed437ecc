/// What a person can do about a refusal, named without any front end's
/// syntax: the CLI renders it as a command (`see \`registry park list\``), a
/// web page as a link. The domain's messages never spell a command.
public enum NextStep: Sendable, Equatable {
    /// Look the records up: parks, enterprises, sectors, funds, projects, closed years.
    case list(RecordKind)
    /// Look up the targets of a year.
    case listTargets(year: Int)
    /// Record it first (an enterprise a project names).
    case add(RecordKind)
    /// Look at a fund's allocations and payments.
    case showFund
    /// Reopen the closed year, with a reason, before changing its records.
    case reopenYear(Int)
    /// Change the stage with its own command, which dates the change.
    case changeStage
    /// Create or upgrade the database.
    case initialize
    /// Import again, updating the records that exist.
    case upsert
    /// Run SQLite's checks and verify on the file.
    case check
    /// Give another database file.
    case otherDatabase
    /// Give another file, or replace it explicitly.
    case otherFileOrForce
    /// Say the unit of a money column: in its header, or with the import.
    case giveUnit
    /// Give targets: a number of projects, an amount of investment, or both.
    case giveTargets
}

/// The kinds of record a message can point to.
public enum RecordKind: String, Sendable, Equatable {
    case park, enterprise, sector, fund, project, allocation, disbursement, year
}
