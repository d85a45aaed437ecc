import RegistryStorage

/// What `export` writes: the columns of the kind's file format (exactly the
/// import's canonical headers) and each record as cells, so that an export
/// imports back unchanged.
public struct ExportTable: Sendable {
    public let columns: [String]
    public let rows: [[ExportCell]]
}

extension Registry {
    /// Every record of `kind` that passes `filter`, in one snapshot.
    public func export(_ kind: ImportKind, filter: ExportFilter = ExportFilter()) throws -> ExportTable {
        var rows: [[ExportCell]] = []
        let columns = try export(kind, filter: filter) { rows.append($0) }
        return ExportTable(columns: columns, rows: rows)
    }

    /// The columns of `kind`'s file format (what an export's header is).
    public func exportColumns(_ kind: ImportKind) throws -> [String] {
        try format(of: kind).columns.map(\.field)
    }

    /// Every record of `kind` that passes `filter`, in one snapshot, handed
    /// to `row` one at a time as it is read: memory stays flat. Returns the columns.
    @discardableResult
    public func export(_ kind: ImportKind, filter: ExportFilter = ExportFilter(), row: ([ExportCell]) throws -> Void) throws -> [String] {
        let format = try format(of: kind)
        try read { try format.export(self, filter, row) }
        return format.columns.map(\.field)
    }

    private func format(of kind: ImportKind) throws -> FileFormat {
        guard let (_, format) = entities.format(of: kind) else {
            throw InvalidValue(
                field: "kind", value: kind.rawValue,
                reason: "is not a kind of file; accepted: \(entities.importKinds.map(\.rawValue).joined(separator: ", "))")
        }
        return format
    }
}
