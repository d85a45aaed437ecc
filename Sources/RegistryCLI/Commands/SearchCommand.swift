import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

/// `registry search TEXT`: projects, enterprises and parks by any part of
/// their name, code or notes.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find projects, enterprises and parks by any part of their name, code or notes.",
        discussion: """
            Two characters are enough (比亚, 储能); full-width and half-width are the same, and codes match in any case. \
            The matched part is shown between 【 and 】. --rebuild-index rebuilds the search indexes from the tables \
            (after `registry check` found one that does not match).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: FormatOption
    @Argument(help: "What to look for.") var text: String?
    @Option(help: "Only this kind: project, enterprise or park (repeatable).") var kind: [String] = []
    @Option(help: "At most this many of each kind.") var limit = 20
    @Flag(name: .customLong("rebuild-index"), help: "Rebuild the search indexes instead of searching.") var rebuildIndex = false

    func validate() throws {
        if rebuildIndex && text != nil { throw usageError("--rebuild-index takes no search text") }
        if !rebuildIndex && text == nil { throw usageError("give the text to look for, e.g. registry search 比亚迪") }
        guard (1...1_000).contains(limit) else { throw usageError("--limit must be 1–1000") }
    }

    func run() throws {
        let registry = try global.openRegistry()
        if rebuildIndex {
            try registry.rebuildSearchIndexes()
            say("rebuilt the search indexes of projects, enterprises and parks")
            return
        }
        let kinds = try kind.map { value -> SearchKind in
            guard let kind = SearchKind(rawValue: value) else {
                throw InvalidValue(field: "kind", value: value, reason: "is not a kind to search; accepted: project, enterprise, park")
            }
            return kind
        }
        let hits = try registry.read { try registry.search(text ?? "", kinds: kinds.isEmpty ? SearchKind.allCases : kinds, limit: limit) }
        var listing = Listing(fields: [.init("kind", "类别"), .init("key", "编号"), .init("name", "名称"), .init("field", "匹配字段"), .init("match", "匹配内容")])
        for hit in hits {
            listing.rows.append([.text(hit.kind.chineseName), .text(hit.key), .text(hit.name), .text(hit.field), .text(hit.marked)])
        }
        print(listing.render(output.resolved), terminator: "")
        if output.resolved == .table { say("\(hits.count) found") }
    }
}
