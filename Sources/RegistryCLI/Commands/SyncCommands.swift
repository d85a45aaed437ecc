import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

/// `registry sync`: bundles between headquarters and the counties (Documentation/Sync.md).
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange signed bundles of changes between headquarters and the county working groups.",
        subcommands: [SyncExport.self, SyncApply.self, SyncStatusCommand.self, SyncResolve.self]
    )
}

struct SyncExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write this site's changes not yet sent to a site as one signed bundle file.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The receiving site (a county's code at headquarters; a county sends to HQ, the default there).") var to: String?
    @Option(help: "The bundle file to write (e.g. HF-0001.sync).") var output: String
    @Option(help: "This site's key file (default: where `site key` saved it).") var key: String?
    @Flag(help: "Send again everything the receiver has not acknowledged (after a bundle was lost on the way).") var resend = false
    @Flag(help: "Replace the output file if it exists.") var force = false

    func run() throws {
        let registry = try global.openRegistry()
        let siteKey = try registry.loadSiteKey(key)
        try OutputFile.refuseIfUnsafe(output, database: registry.path, force: force)
        let bundle = try registry.exportSync(to: to, resend: resend, key: siteKey, actor: global.actorName) { parts in
            try Self.writeWhole(parts, to: output)
        }
        let range = bundle.toSeq > bundle.fromSeq ? "changes \(bundle.fromSeq + 1)–\(bundle.toSeq) of this site's outbox" : "no new changes"
        say(
            "wrote \(output): bundle \(bundle.number) for site \(bundle.receiver), \(range) "
                + "(\(bundle.changes) row change(s), \(bundle.bytes) bytes); acknowledges \(bundle.receiver)'s changes up to \(bundle.acknowledges)")
        say("sha256 \(bundle.hash)")
    }

    /// Written beside the target, flushed to disk, then renamed into place.
    static func writeWhole(_ parts: [[UInt8]], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw CLIFailure(message: "cannot write \(path): cannot create a file in \(url.deletingLastPathComponent().path)", code: ExitStatus.ioError)
            }
            let handle = try FileHandle(forWritingTo: temporary)
            for part in parts { try part.withUnsafeBytes { try handle.write(contentsOf: $0) } }
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CLIFailure(message: "cannot write \(path): \(error.localizedDescription)", code: ExitStatus.ioError)
        }
    }
}

struct SyncApply: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Check a bundle from another site and apply it, all or nothing.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The bundle file.") var file: String

    func run() throws {
        let registry = try global.openRegistry()
        try Self.apply(registry, file: file, actor: global.actorName)
    }

    static func apply(_ registry: Registry, file: String, actor: String) throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw CLIFailure(message: "cannot read \(file)", code: ExitStatus.noInput) }
        let applied: AppliedSync
        do {
            applied = try registry.applySync(file: file, actor: actor)
        } catch SyncError.conflicts(let conflicts) {
            SyncConflictOutput.print(conflicts, file: file)
            throw SyncError.conflicts(conflicts)
        }
        if applied.alreadyApplied {
            say("\(file): bundle \(applied.number) of site \(applied.sender) was applied here before; nothing changed")
            return
        }
        let range = applied.toSeq > applied.fromSeq ? "its changes \(applied.fromSeq + 1)–\(applied.toSeq)" : "no new changes"
        say("applied \(file): bundle \(applied.number) of site \(applied.sender), \(range)")
        var table = TextTable(columns: [.init("table"), .init("added", .right), .init("changed", .right), .init("deleted", .right)])
        for count in applied.counts { table.append([count.table, "\(count.inserted)", "\(count.updated)", "\(count.deleted)"]) }
        if !applied.counts.isEmpty { Swift.print(table.render(), terminator: "") }
        if applied.alreadyHere > 0 { say("\(applied.alreadyHere) row(s) were here already as the bundle has them") }
        if applied.resolved > 0 { say("\(applied.resolved) conflict(s) settled as resolved") }
        say("\(applied.sender) has applied this site's changes up to \(applied.acknowledges)")
    }
}

struct SyncResolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Settle the conflicts a bundle stopped on (recorded in the change log), then apply it.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The bundle file that stopped on conflicts.") var file: String
    @Option(help: "Which side to keep: here (this site's row; the sender's change is not applied) or sender (take the sender's change).")
    var keep: SyncResolution.Keep
    @Option(name: .customLong("row"), help: "Only this conflict, as table:key (e.g. project:HF-2026-001); repeat for several. Default: every conflict.")
    var rows: [String] = []
    @Option(help: "Why (recorded with the choice).") var note: String?

    func run() throws {
        let registry = try global.openRegistry()
        let bytes = try SyncFiles.read(file)
        let settled = try registry.resolveSync(bytes, path: file, rows: rows, keep: keep, note: note, actor: global.actorName)
        for conflict in settled {
            say("recorded: \(conflict.table) \(conflict.key): keep \(keep == .here ? "this site's row" : "the sender's change")")
        }
        try SyncApply.apply(registry, file: file, actor: global.actorName)
    }
}

struct SyncStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "This site, and per site: the last bundle applied from it, when, its head; what went to it.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let registry = try global.openRegistry()
        let status = try registry.syncStatus()
        guard let local = status.local else {
            say("site \(status.localCode): sync is not set up (no site registered)")
            return
        }
        say("this site: \(local.code) \(local.name); outbox up to \(status.outboxSeq)" + (local.publicKey == nil ? "; no signing key yet" : ""))
        var table = TextTable(columns: [
            .init("站点"), .init("名称"), .init("最近应用"), .init("对方变更至", .right), .init("应用时间"), .init("对方日志头"),
            .init("最近发送"), .init("对方已确认至", .right),
        ])
        for peer in status.peers {
            table.append([
                peer.site.code, peer.site.name, peer.lastApplied.map { "第 \($0.number) 包" } ?? "无",
                peer.lastApplied.map { "\($0.toSeq)" } ?? "0", peer.lastApplied?.appliedAt ?? "",
                peer.lastApplied.map { String($0.senderHead.prefix(20)) + "…" } ?? "",
                peer.lastSent.map { "第 \($0.number) 包（至 \($0.toSeq)）" } ?? "无", "\(peer.acknowledged)",
            ])
        }
        Swift.print(table.render(), terminator: "")
    }
}

extension SyncResolution.Keep: ExpressibleByArgument {}

enum SyncFiles {
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure(message: "cannot read \(path)", code: ExitStatus.noInput)
        }
        return Array(data)
    }
}

enum SyncConflictOutput {
    static func print(_ conflicts: [SyncConflict], file: String) {
        var table = TextTable(columns: [
            .init("table"), .init("key"), .init("column"), .init("here"), .init("sender"), .init("changed here"), .init("changed there"),
        ])
        for conflict in conflicts {
            let columns = conflict.columns.isEmpty ? [(column: "", here: "", sender: "")] : conflict.columns
            for (index, column) in columns.enumerated() {
                table.append([
                    index == 0 ? conflict.table : "", index == 0 ? conflict.key : "", column.column, column.here, column.sender,
                    index == 0 ? conflict.changedHere ?? "" : "", index == 0 ? conflict.changedThere ?? "" : "",
                ])
            }
        }
        FileHandle.standardError.write(Data(table.render().utf8))
        FileHandle.standardError.write(
            Data(
                "resolve with: registry sync resolve \(file) --keep here|sender [--row table:key]; each choice is recorded in the change log\n"
                    .utf8))
    }
}
