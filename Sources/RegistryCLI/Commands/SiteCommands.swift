import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

/// `registry site`: this site's signing key, and the sites it trusts.
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "This site's signing key, and the other sites whose bundles it accepts.",
        subcommands: [SiteKeyCommand.self, SiteAdd.self, SiteList.self, SiteRekey.self]
    )
}

struct SiteKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Make this site's Ed25519 signing key (kept in a file of its own, never in the database) and print its public key.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("key-file"), help: "Where to keep the private key (default: $REGISTRY_KEY_DIR or ~/.config/registry/keys/).")
    var keyFile: String?
    @Flag(help: "Replace an existing key (every site that receives this site's bundles must then register the new public key).")
    var replace = false

    func run() throws {
        let registry = try global.openRegistry()
        let made = try registry.makeSiteKey(path: keyFile, replacing: replace, actor: global.actorName)
        say("private key saved to \(made.path) (readable by its owner only; back it up apart from the registry)")
        say("public key (send it to the other site, which registers it with `registry site add`):")
        say("ed25519:\(made.publicKey)")
    }
}

struct SiteAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Accept bundles from another site, signed by its public key (HQ adds counties; a county adds HQ).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The site's code (e.g. HF).") var code: String
    @Option(help: "The site's name (e.g. 海丰县工作组).") var name: String
    @Option(help: "The site's public key, as its `site key` printed it.") var key: String

    func run() throws {
        let registry = try global.openRegistry()
        let site = try registry.write(global.context("site add")) { try $0.addSite(code: code, name: name, publicKey: key) }
        say("added site \(site.code) \(site.name); its bundles are accepted when signed by ed25519:\(site.publicKey ?? "")")
        let clashing = try registry.codes(beginningWith: site.code)
        if !clashing.isEmpty {
            say(
                "note: \(clashing.joined(separator: ", ")) recorded here begin with \(site.code)-; they stay this site's records, "
                    + "and a record of the same code from \(site.code) would be shown as a conflict")
        }
    }
}

struct SiteRekey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rekey", abstract: "Register a new public key for a site (after it replaced its key).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The site's code.") var code: String
    @Option(help: "The site's new public key.") var key: String

    func run() throws {
        let registry = try global.openRegistry()
        let site = try registry.write(global.context("site rekey")) { try $0.replaceSiteKey(code: code, publicKey: key) }
        say("site \(site.code): bundles are now accepted when signed by ed25519:\(site.publicKey ?? "")")
    }
}

struct SiteList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "This site and the sites registered here.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let registry = try global.openRegistry()
        let status = try registry.syncStatus()
        var table = TextTable(columns: [.init("站点"), .init("名称"), .init("角色"), .init("公钥")])
        if let local = status.local {
            table.append([local.code, local.name, "本站", local.publicKey.map { "ed25519:" + $0 } ?? "（尚无）"])
        } else {
            table.append([status.localCode, "", "本站", "（未设置同步）"])
        }
        for peer in status.peers { table.append([peer.site.code, peer.site.name, "向本站发送数据包", "ed25519:" + (peer.site.publicKey ?? "")]) }
        Swift.print(table.render(), terminator: "")
    }
}
