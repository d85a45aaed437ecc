import ArgumentParser

/// The root command only routes; each leaf is a small struct with `run()`.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Investment-promotion registry of the Shenzhen–Shanwei cooperation headquarters.",
        discussion: """
            Keeps parks, enterprises, projects, annual targets and assistance funds in one SQLite file, with every value \
            validated at the door and money exact to the fen.
            Messages are in Chinese; `--lang en` (any command) or LANG=en_US.UTF-8 shows them in English.
            Exit codes: 0 ok, 1 findings (audit, verify, check), 64 usage, 65 refused data, 66 no database, 73 output file exists, \
            74 I/O, 75 busy, 77 read-only, 78 incompatible schema.
            """,
        subcommands: [
            InitCommand.self, MigrateCommand.self,
            ParkCommand.self, EnterpriseCommand.self, SectorCommand.self, ProjectCommand.self,
            ImportCommand.self, ExportCommand.self,
            TargetCommand.self, ReportCommand.self,
            FundCommand.self, AuditCommand.self, FindingCommand.self,
            LogCommand.self, HistoryCommand.self, VerifyCommand.self, AnchorCommand.self, CheckCommand.self,
            YearCommand.self, BackupCommand.self, RestoreCommand.self,
            SiteCommand.self, SyncCommand.self,
            UserCommand.self, ServeCommand.self, SearchCommand.self, TemplateCommand.self,
            SeedCommand.self, DemoCommand.self,
        ]
    )

    /// Accepted here too, hidden, so that `registry --db x frobnicate` complains
    /// about `frobnicate`, not about `--db`. Before a real subcommand they are
    /// moved to the leaf (see `RegistryMain.movingLeadingGlobalOptions`).
    @OptionGroup(visibility: .hidden) var global: GlobalOptions
}
