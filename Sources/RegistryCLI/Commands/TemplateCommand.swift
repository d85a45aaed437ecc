import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write an .xlsx import template: the headers staff use, an example, and drop-down lists of this registry's values.",
        discussion: """
            The first sheet is the one to fill in; its park, sector, stage and kind columns (and the like for \
            other kinds) offer this registry's values in a drop-down list. Filled in, it imports with \
            `registry import KIND FILE` unchanged. Amounts are in 万元, as the header says.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "What the template is for: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: ImportKind
    @Option(help: "The workbook to write (.xlsx; an existing file only with --force).") var output: String
    @Flag(help: "Replace the --output file if it exists (never the registry database).") var force = false

    func run() throws {
        try OutputFile.refuseIfUnsafe(output, database: global.databasePath, force: force)
        let registry = try global.openRegistry()
        try WorkbookTemplate.write(kind, from: registry, to: output)
        sayError("wrote the \(Message.term(kind.rawValue)) template to \(output)")
    }
}
