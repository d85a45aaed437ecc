import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the registry database, or upgrade it to this version's schema."
    )

    @OptionGroup var global: GlobalOptions

    @Option(
        help:
            "This registry's site code for county sync: HQ for headquarters, or a county's (e.g. HF); the ids minted here carry it. Set when the registry is created."
    )
    var site: String?

    @Option(help: "The site's name (e.g. 海丰县工作组).")
    var siteName: String?

    func validate() throws {
        if siteName != nil && site == nil { throw usageError("--site-name needs --site") }
    }

    func run() throws {
        try Self.createOrUpgrade(global.databasePath)
        guard let site else { return }
        let registry = try global.openRegistry()
        let local = try registry.write(global.context("init --site")) { try $0.setLocalSite(code: site, name: siteName) }
        say("this registry is site \(local.code) (\(local.name)); next: make its signing key (registry site key)")
    }

    static func createOrUpgrade(_ path: String) throws {
        let (_, applied) = try Registry.create(at: path)
        if applied.isEmpty {
            say("\(path) is up to date (schema version \(Registry.migrator.migrations.last?.version ?? 0)).")
        } else {
            let names = applied.map { "\(versionLabel($0.version)) \($0.name)" }.joined(separator: ", ")
            say("\(path): applied \(applied.count) migration(s): \(names)")
        }
    }

    static func versionLabel(_ version: Int) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Show applied and pending migrations (--status), or apply the pending ones."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "List applied and pending migrations without changing anything.")
    var status = false

    func run() throws {
        let path = global.databasePath
        guard status else {
            // Unlike init, migrate never creates a database.
            guard FileManager.default.fileExists(atPath: path) else { throw RegistryError.databaseMissing(path: path) }
            return try InitCommand.createOrUpgrade(path)
        }
        let status = try Registry.migrationStatus(at: path)
        var table = TextTable(columns: [.init("version", .right), .init("name"), .init("state")])
        for migration in status.applied {
            table.append([InitCommand.versionLabel(migration.version), migration.name, "applied \(migration.appliedAt)"])
        }
        for migration in status.pending {
            table.append([InitCommand.versionLabel(migration.version), migration.name, "pending"])
        }
        print(table.render(), terminator: "")
        say("\(status.applied.count) applied, \(status.pending.count) pending" + (status.pending.isEmpty ? "" : "; run `registry init` to apply"))
    }
}
