import RegistryDomain
import RegistryPresentation

/// How change entries print: one line per entry, the change summarised column by column.
enum ChangeListing {
    static let fields: [Listing.Field] = [
        .init("seq", "序号", .right), .init("at", "时间 (UTC)"), .init("actor", "操作人"), .init("command", "命令"),
        .init("table", "表"), .init("key", "主键"), .init("action", "操作"), .init("change", "变更 before → after"),
        .init("before", "before", inTable: false), .init("after", "after", inTable: false), .init("hash", "hash", inTable: false),
    ]

    static func row(_ change: LoggedChange) -> [Listing.Value] {
        let entry = change.entry
        return [
            .integer(entry.seq), .text(entry.at), .text(entry.actor), .text(entry.command), .text(entry.table),
            .text(entry.keyText), .text(entry.action.rawValue), .text(summary(change)),
            .text(entry.before), .text(entry.after), .text(entry.hash),
        ]
    }

    /// Writes the changes `produce` reads to standard output as they come (see `Listing.stream`).
    static func stream(format: OutputFormat, _ produce: (_ each: (LoggedChange) throws -> Void) throws -> Void) throws {
        let sink = TextSink.standardOutput()
        try Listing.stream(fields, format: format, to: sink) { emit in
            try withoutActuallyEscaping(emit) { emit in
                try produce { try emit(row($0)) }
            }
        }
    }

    /// `amount_fen: 5000000 → 9000000; notes: null → "补录"`; for an insert or
    /// a delete, the row's non-empty columns.
    static func summary(_ change: LoggedChange) -> String {
        switch change.entry.action {
        case .update:
            return change.differences.map { "\($0.column): \($0.before ?? "null") → \($0.after ?? "null")" }.joined(separator: "; ")
        case .insert:
            return "+ " + change.differences.map { "\($0.column)=\($0.after ?? "null")" }.joined(separator: " ")
        case .delete:
            return "− " + change.differences.map { "\($0.column)=\($0.before ?? "null")" }.joined(separator: " ")
        }
    }
}
