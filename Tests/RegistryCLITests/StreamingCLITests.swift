import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

/// Lists, exports and the log write rows as they read them: every row, in
/// order, however many; and an error in the middle ends the command with a
/// non-zero exit, never with a listing that merely looks complete.
@Suite struct StreamingCLITests: CLISuite {
    let cli: CLIHarness
    static let count = 3_000

    init() throws {
        cli = try CLIHarness()
    }

    /// 3,000 wellbeing projects on scattered dates: (code, signed_on), in file order.
    func imported() throws -> [(code: String, date: String)] {
        try #require(try registry("init").status == 0)
        var generator = SplitMix64(seed: 15)
        var projects: [(String, String)] = []
        var csv = "code,name,kind,planned_investment,signed_on\n"
        for index in 0..<Self.count {
            let code = "WB-\(Int.random(in: 0..<1_000_000, using: &generator))-\(index)"
            let date = String(format: "2025-%02d-%02d", Int.random(in: 1...12, using: &generator), Int.random(in: 1...28, using: &generator))
            projects.append((code, date))
            csv += "\(code),民生项目\(index),wellbeing,\(index + 1)万,\(date)\n"
        }
        try csv.write(toFile: cli.path("projects.csv"), atomically: true, encoding: .utf8)
        let imported = try registry("import", "projects", cli.path("projects.csv"))
        try #require(imported.status == 0, "\(imported.stderr)")
        return projects
    }

    /// By signing date, then code, as SQLite orders text: by bytes.
    static func ordered(_ projects: [(code: String, date: String)]) -> [String] {
        projects.sorted { left, right in
            left.date != right.date
                ? Array(left.date.utf8).lexicographicallyPrecedes(Array(right.date.utf8))
                : Array(left.code.utf8).lexicographicallyPrecedes(Array(right.code.utf8))
        }.map(\.code)
    }

    @Test func listsAndExportsWriteEveryRowInOrder() throws {
        let expected = Self.ordered(try imported())
        let list = try registry("project", "list", "--format", "csv")
        #expect(list.status == 0, "\(list.stderr)")
        let listed = list.stdout.split(separator: "\r\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        #expect(listed == expected)

        let export = try registry("export", "projects")
        #expect(export.status == 0)
        let exported = export.stdout.split(separator: "\r\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        #expect(exported == expected)
        // To a file: the same bytes, and a count on stderr.
        let file = try registry("export", "projects", "--output", cli.path("projects-out.csv"))
        #expect(file.status == 0 && file.stderr.contains("exported \(Self.count) projects"))
        #expect(try String(contentsOfFile: cli.path("projects-out.csv"), encoding: .utf8) == export.stdout)

        // The terminal table measures every row first: all lines equally wide, and the total.
        let table = try registry("project", "list", "--format", "table", "--unit", "wan")
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == Self.count + 3, "header, rule, rows and the total")
        #expect(lines.last == "\(Self.count) project(s), planned investment 4,501,500.00万元", "\(lines.last ?? "")")

        let json = try registry("project", "list", "--format", "json")
        let objects = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(objects?.compactMap { $0["code"] as? String } == expected)

        // The log: one entry per project and one per first stage, oldest first.
        let log = try registry("log", "--table", "project", "--format", "csv")
        #expect(log.status == 0)
        #expect(log.stdout.split(separator: "\r\n").count == Self.count + 1)
        let newest = try registry("log", "--limit", "5", "--format", "csv")
        let sequence = newest.stdout.split(separator: "\r\n").dropFirst().compactMap { Int($0.prefix { $0 != "," }) }
        let last = try lastSeq()
        #expect(sequence.count == 5 && sequence == sequence.sorted() && sequence.last == last)
    }

    func lastSeq() throws -> Int? {
        try Database(path: database, mode: .readOnly).scalar("SELECT max(seq) FROM change_entry", as: Int.self)
    }

    @Test func anErrorInTheMiddleEndsTheCommandWithAFailure() throws {
        let expected = Self.ordered(try imported())
        // A row written behind registry's back with a date that is no date,
        // sorted among the June projects: the listing fails when it gets there.
        let shell = try Database(path: database)
        try shell.executeScript(
            """
            PRAGMA ignore_check_constraints = ON;
            INSERT INTO project (code, name, kind, planned_investment_fen, signed_on, stage)
            VALUES ('WB-BAD', '坏日期', 'wellbeing', 100, '2025-06-31', 'signed');
            """)
        for arguments in [["project", "list", "--format", "csv"], ["export", "projects"]] {
            let result = try registry(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains("2025-06-31"), "\(arguments): \(result.stderr)")
            let written = result.stdout.split(separator: "\r\n").dropFirst().map { String($0.prefix { $0 != "," }) }
            #expect(!written.isEmpty && written.count < expected.count, "rows before the bad one came out as they were read")
            #expect(Array(expected.prefix(written.count)) == written)
        }
        // Into a file: nothing, not half a file.
        let file = try registry("export", "projects", "--output", cli.path("half.csv"))
        #expect(file.status != 0)
        #expect(!FileManager.default.fileExists(atPath: cli.path("half.csv")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).allSatisfy { !$0.hasSuffix(".partial") })
    }
}
