import Foundation
import PackagePlugin

/// Embeds folders into the target that uses this plugin, as a generated Swift
/// file (`EmbeddedFiles.swift`): the target's own `Templates/` and `Assets/`
/// when it has them (the web pages), otherwise the package's `Migrations/`
/// and `Seeds/`.
///
/// Why a plugin and not SwiftPM resources: resources live in a bundle folder next
/// to the executable, so a copied `registry` binary would lose its migrations.
/// Generated constants keep the binary self-contained, while the `.sql` files
/// stay the only place where the SQL is written.
@main
struct EmbedRegistryFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let root = context.package.directoryURL
        let targetFolder = (target as? SourceModuleTarget)?.directoryURL
        let own = ["Templates", "Assets"].compactMap { targetFolder?.appending(path: $0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        let folders = own.isEmpty ? ["Migrations", "Seeds"].map { root.appending(path: $0) } : own
        var inputs: [URL] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                inputs.append(folder.appending(path: name))
            }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files into \(target.name)",
                executable: try context.tool(named: "EmbedFilesTool").url,
                arguments: [output.path] + folders.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
