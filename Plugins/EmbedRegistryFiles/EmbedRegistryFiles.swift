import Foundation
import PackagePlugin

/// Embeds the package's `Migrations/` and `Seeds/` folders into the target that
/// uses this plugin, as a generated Swift file (`EmbeddedFiles.swift`).
///
/// Why a plugin and not SwiftPM resources: resources live in a bundle folder next
/// to the executable, so a copied `registry` binary would lose its migrations.
/// Generated constants keep the binary self-contained, while the `.sql` files
/// stay the only place where the SQL is written.
@main
struct EmbedRegistryFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let root = context.package.directoryURL
        let folders = ["Migrations", "Seeds"].map { root.appending(path: $0) }
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
                displayName: "Embedding \(inputs.count) migration and seed files",
                executable: try context.tool(named: "EmbedFilesTool").url,
                arguments: [output.path] + folders.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
