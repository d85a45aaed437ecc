import RegistryStorage

/// An industry sector. The rows come with the schema (migration 0001) and have
/// stable keys that scripts rely on.
public struct Sector: Equatable, Sendable {
    public let key: String
    public let chineseName: String
    public let englishName: String
    /// One of the five key emerging fields (新能源, 低空经济, 农业科技, 国产操作系统, 人工智能).
    public let isKeyEmerging: Bool

    init(row: Row) throws {
        key = try row.get("key")
        chineseName = try row.get("name_zh")
        englishName = try row.get("name_en")
        isKeyEmerging = try row.get("key_emerging")
    }
}

extension Sector {
    /// Sectors: a fixed catalogue that migrations insert; recorded so that
    /// `verify` accounts for every row.
    static let entity = Entity(
        table: TableSchema(name: "sector", primaryKey: ["key"], columns: ["key", "name_zh", "name_en", "key_emerging"]))
}
