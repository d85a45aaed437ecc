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
        guard let (_, format) = entities.format(of: kind) else {
            throw InvalidValue(
                field: "kind", value: kind.rawValue,
                reason: "is not a kind of file; accepted: \(entities.importKinds.map(\.rawValue).joined(separator: ", "))")
        }
        return try read { ExportTable(columns: format.columns.map(\.field), rows: try format.export(self, filter)) }
    }
}
