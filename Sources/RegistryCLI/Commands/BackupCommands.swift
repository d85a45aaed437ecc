import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

/// `registry backup FILE`.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the registry consistently (others may keep writing), sync it to disk, check it, print its head.",
        discussion: "Example: registry backup /mnt/backup/registry-2026-01-05.db"
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file to create.") var file: String
    @Flag(help: "Replace the file if it exists (only once the new copy is whole and checked).") var force = false

    func run() throws {
        let registry = try global.openRegistry()
        let result = try registry.backup(to: file, force: force)
        say("backup written to \(result.path) (\(result.bytes) bytes, integrity_check ok)")
        if let identity = try registry.identity() { say("registry: \(identity)") }
        say("head: \(result.head)")
    }
}

/// `registry restore BACKUP`.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the registry database (--db) with a backup, once the backup passes integrity_check and verify.",
        discussion: "Example: registry restore /mnt/backup/registry-2026-01-05.db --db registry.db --force"
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file.") var backup: String
    @Flag(help: "Replace an existing database (its changes since the backup are lost).") var force = false
    @Flag(help: "Allow a backup of another registry (its identity differs): the whole history becomes the other registry's.")
    var otherRegistry = false

    func run() throws {
        let result = try Registry.restore(from: backup, to: global.databasePath, force: force, otherRegistry: otherRegistry)
        say("restored \(backup) into \(result.path) (\(result.bytes) bytes)")
        say("head: \(result.head)")
    }
}
