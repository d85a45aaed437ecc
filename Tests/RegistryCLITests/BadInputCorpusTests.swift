import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

/// The hostile-input corpus (`Tests/Fixtures/bad-inputs/cases.json` and its
/// CSV files): each input is refused with the expected exit code and a message
/// naming it, and the database is byte-for-byte unchanged afterwards.
@Suite struct BadInputCorpusTests: CLISuite {
    struct Case: Decodable {
        let id: String
        let args: [String]?
        let `import`: String?
        let file: String?
        let options: [String]?
        let exit: Int32
        let message: String
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bad-inputs")

    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    /// The database file and its WAL, as bytes: what "unchanged" means.
    func snapshot() throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: database))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: database + "-wal")) { data += wal }
        return data
    }

    @Test func everyBadInputIsRefusedAndWritesNothing() throws {
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("cases.json")))
        #expect(cases.count >= 60)
        #expect(Set(cases.map(\.id)).count == cases.count, "case ids are unique")
        try #require(try registry(["init"]).status == 0)
        try #require(try registry(["seed"]).status == 0)
        var failures: [String] = []
        var refused = 0
        for item in cases {
            let arguments: [String]
            if let kind = item.import, let file = item.file {
                arguments = ["import", kind, Self.fixtures.appendingPathComponent(file).path] + (item.options ?? [])
            } else {
                arguments = item.args ?? []
            }
            let before = try snapshot()
            let result = try registry(arguments)
            if result.status != item.exit {
                failures.append("\(item.id): exit \(result.status), expected \(item.exit): \(result.stderr.prefix(300))")
            } else if !result.stderr.contains(item.message) {
                failures.append("\(item.id): message does not contain \"\(item.message)\": \(result.stderr.prefix(300))")
            } else if item.exit == 65 && item.import == nil && result.stderr.split(separator: "\n").count != 1 {
                failures.append("\(item.id): a refused value is one line, got: \(result.stderr)")
            } else {
                refused += 1
            }
            if try snapshot() != before {
                failures.append("\(item.id): the database changed")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) cases:\n\(failures.joined(separator: "\n"))")
        #expect(try registry(["verify"]).status == 0)
        print("reliability: \(refused) of \(cases.count) bad inputs refused with the expected code and message, database unchanged")
    }

    /// Odd but legitimate text is stored exactly, never run: SQL in a name
    /// stays text, formula text is guarded on export and comes back on import.
    @Test func legitimateOddTextIsStoredLiterally() throws {
        try #require(try registry(["init"]).status == 0)
        let names = [
            "'); DROP TABLE project;--",
            "=cmd|' /C calc'!A0",
            "+SUM(A1:A9)",
            "@HYPERLINK(\"http://x\")",
            "-2+3",
            "'单引号开头",
            "Robert\"); DELETE FROM park; --",
            "园区 👍 ＡＢＣ",
        ]
        for (index, name) in names.enumerated() {
            // `--name=…`: a value that starts with "-" is otherwise read as an option (as in every argument parser).
            let result = try registry(["park", "add", "--code", "P-\(index)", "--name=\(name)", "--level", "county", "--county", "海丰县"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
        let stored = try Database(path: database).rows("SELECT name FROM park ORDER BY code").map { try $0.get("name", as: String.self) }
        #expect(stored == names, "stored exactly as typed")
        #expect(try Database(path: database).scalar("SELECT count(*) FROM project", as: Int.self) == 0, "the project table is still there")

        let export = try registry(["export", "parks", "--format", "csv"])
        #expect(export.status == 0)
        #expect(export.stdout.contains("P-1,'=cmd|' /C calc'!A0,"), "formula guarded: \(export.stdout)")
        #expect(export.stdout.contains("P-2,'+SUM(A1:A9),") && export.stdout.contains("P-4,'-2+3,") && export.stdout.contains("P-5,''单引号开头,"))
        #expect(!export.stdout.split(separator: "\r\n").contains { $0.split(separator: ",", maxSplits: 2).dropFirst().first?.first == "=" })

        let file = folder.path("parks.csv")
        try export.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let fresh = folder.path("fresh.db")
        #expect(try RegistryBinary.run(["--db", fresh, "init"], in: folder.url).status == 0)
        let imported = try RegistryBinary.run(["--db", fresh, "import", "parks", file], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let back = try Database(path: fresh).rows("SELECT name FROM park ORDER BY code").map { try $0.get("name", as: String.self) }
        #expect(back == names, "export → import gives the text back exactly")
    }
}
