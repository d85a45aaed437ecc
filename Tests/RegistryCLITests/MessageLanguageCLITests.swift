import Foundation
import RegistryTestSupport
import Testing

/// Messages in Chinese by default and in English with `--lang en` or
/// `LANG=en…`, through the built binary: each refusal in both languages,
/// with the same exit code, and nothing written.
@Suite struct MessageLanguageCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        try #require(try RegistryBinary.run(["init", "--db", database], in: folder.url).status == 0)
        try #require(try registry("park", "add", "--code", "SW-GX", "--name", "汕尾高新区", "--level", "municipal", "--county", "城区").status == 0)
    }

    /// The command in Chinese (the default, here under a Chinese locale) and in English (`--lang en`).
    func both(_ arguments: [String]) throws -> (zh: RegistryBinary.Result, en: RegistryBinary.Result) {
        let chinese = try cli.registry(arguments, environment: ["LANG": "zh_CN.UTF-8"])
        let english = try cli.registry(["--lang", "en"] + arguments, environment: ["LANG": "zh_CN.UTF-8"])
        return (chinese, english)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder.path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    struct Case: Sendable, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let chinese: [String]
        let english: [String]
        var description: String { arguments.joined(separator: " ") }
    }

    static let refusals: [Case] = [
        Case(
            arguments: ["project", "add", "--code", "SW-1", "--name", "甲", "--kind", "wellbeing", "--planned-investment", "abc", "--signed-on", "2025-01-01"],
            status: 65, chinese: ["计划总投资（--planned-investment） \"abc\"：不是金额"], english: ["planned-investment \"abc\": is not an amount"]),
        Case(
            arguments: ["project", "add", "--code", "SW-1", "--name", "甲", "--kind", "wellbeing", "--planned-investment", "1万", "--signed-on", "2025-02-30"],
            status: 65, chinese: ["不是日历上的日期（2025年2月只有 28 天）"], english: ["is not a day of the calendar (2025-2 has 28 days)"]),
        Case(
            arguments: ["park", "add", "--code", "SW-GX", "--name", "另一园区", "--level", "county", "--county", "海丰县"],
            status: 65, chinese: ["已存在", "registry park update"], english: ["already exists", "registry park update"]),
        Case(
            arguments: ["park", "show", "NOPE"],
            status: 65, chinese: ["没有此编号或名称的园区", "registry park list"], english: ["no park has this code or name", "registry park list"]),
        Case(arguments: ["export", "parks", "--format", "xlsx"], status: 64, chinese: ["会写出工作簿"], english: ["writes a workbook"]),
        Case(
            arguments: ["--db", "nowhere.db", "park", "list"], status: 66, chinese: ["没有登记库数据库", "registry init"],
            english: ["no registry database", "registry init"]),
        Case(arguments: ["import", "parks", "nothing.csv"], status: 66, chinese: ["文件不存在"], english: ["no such file"]),
    ]

    @Test(arguments: refusals) func eachRefusalInBothLanguagesWithTheSameExitCode(_ refusal: Case) throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let (zh, en) = try both(refusal.arguments)
        #expect(zh.status == refusal.status && en.status == refusal.status, "\(zh.stderr) / \(en.stderr)")
        for fragment in refusal.chinese { #expect(zh.stderr.contains(fragment), "\(zh.stderr)") }
        for fragment in refusal.english { #expect(en.stderr.contains(fragment), "\(en.stderr)") }
        #expect(zh.stderr != en.stderr)
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
    }

    @Test func importProblemsAndSummariesInBothLanguages() throws {
        let bad = try write("bad.csv", "项目编号,项目名称,项目类型,计划总投资（万元）,签约日期,项目状态\nSW-2025-001,甲,民生,-3,2025-01-01,\nSW-2025-002,乙,民生,100,2025-02-01,终止\n")
        let (zh, en) = try both(["import", "projects", bad])
        #expect(zh.status == 65 && en.status == 65)
        #expect(zh.stderr.contains("第 2 行，计划总投资（万元） 列：值 \"-3\"：为负数"), "\(zh.stderr)")
        #expect(zh.stderr.contains("第 3 行，阶段日期 列") && zh.stderr.contains("在阶段为“终止”时必须填写"), "\(zh.stderr)")
        #expect(zh.stderr.contains("2 行中有 2 个问题；未导入任何数据"))
        #expect(en.stderr.contains("line 2, column 计划总投资（万元）: value \"-3\": is negative"), "\(en.stderr)")
        #expect(en.stderr.contains("line 3, column 阶段日期") && en.stderr.contains("is needed for the stage 终止"))
        #expect(en.stderr.contains("2 problem(s) in 2 row(s); nothing was imported"))
        let good = try write("good.csv", "序号,项目编号,项目名称,项目类型,计划总投资（万元）,签约日期\n1,SW-2025-003,丙,民生,100,2025-03-01\n")
        let dry = try both(["import", "projects", good, "--dry-run"])
        #expect(dry.zh.stdout.contains("试运行") && dry.zh.stdout.contains("已忽略序号列 序号"), "\(dry.zh.stdout)")
        #expect(dry.en.stdout.contains("dry run of") && dry.en.stdout.contains("running-number column 序号 ignored"), "\(dry.en.stdout)")
    }

    @Test func theLanguageFollowsTheOptionThenTheLocale() throws {
        let arguments = ["park", "show", "NOPE"]
        let english = "no park has this code or name"
        let chinese = "没有此编号或名称的园区"
        #expect(try cli.registry(arguments, environment: ["LANG": "en_US.UTF-8"]).stderr.contains(english))
        #expect(try cli.registry(arguments, environment: ["LANG": "C.UTF-8"]).stderr.contains(chinese))
        #expect(try cli.registry(arguments, environment: ["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"]).stderr.contains(english))
        #expect(try cli.registry(arguments + ["--lang", "zh"], environment: ["LANG": "en_US.UTF-8"]).stderr.contains(chinese))
        #expect(try cli.registry(arguments + ["--lang=en"], environment: ["LANG": "zh_CN.UTF-8"]).stderr.contains(english))
        let unknown = try cli.registry(["--lang", "fr"] + arguments)
        #expect(unknown.status == 64 && unknown.stderr.contains("--lang"), "\(unknown.stderr)")
        // A command's own summary too.
        let added = try cli.registry(
            ["park", "add", "--code", "HF-ST", "--name", "海丰生态科技城", "--level", "county", "--county", "海丰县"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(added.status == 0 && added.stdout.contains("已添加园区 HF-ST 海丰生态科技城（县级，海丰县）"), "\(added.stdout)")
    }
}
