import Foundation

/// Deterministic synthetic registry data: the same `seed` and `rows` give the
/// same files byte for byte, so runs and machines can be compared.
struct SyntheticData {
    let rows: Int
    /// Signing years, in turn (the import benchmark: 2025 only; the report
    /// benchmark: four years, so that one year holds a quarter of the rows).
    var years: [Int] = [2025]
    var parkCount = 60
    var enterpriseCount: Int { enterprises ?? max(100, rows / 20) }
    /// How many enterprises; nil: one per twenty projects (at least 100).
    var enterprises: Int?
    /// What project codes begin with (`BM-0`; the sync benchmark's county: `HF-0`).
    var codePrefix = "BM"
    /// Names made of words staff use (the search benchmark), instead of `基准项目N`.
    var wordedNames = false

    static let nameWords = [
        "比亚迪", "储能", "光伏", "风电", "氢能", "新材料", "智能", "装备", "制造", "电子", "芯片", "软件", "物流", "冷链", "食品", "医药",
        "海洋", "渔业", "港口", "文旅", "康养", "农业", "科技", "数据", "算力", "汽车", "零部件", "电池", "电站", "产业园",
    ]

    func name(_ index: Int) -> String {
        guard wordedNames else { return "基准项目\(index)" }
        let words = Self.nameWords
        return words[index % words.count] + words[(index / words.count) % words.count] + words[(index / 7 + 3) % words.count] + "项目\(index)"
    }

    /// A small xorshift generator: deterministic, and fast enough for millions of rows.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let sectors = [
        "new-energy", "low-altitude", "agri-tech", "domestic-os", "ai", "nev", "energy-storage",
        "materials", "smart-manufacturing", "logistics", "other",
    ]
    static let counties = ["城区", "海丰县", "陆丰市", "陆河县", "红海湾经济开发区", "华侨管理区"]

    /// A valid USCC (GB 32100-2015 check character) for enterprise number `index`.
    static func uscc(_ index: Int) -> String {
        var body = Array("91440300")
        var value = index
        for _ in 0..<9 {
            body.append(alphabet[value % 31])
            value /= 31
        }
        let sum = zip(body, weights).reduce(0) { $0 + alphabet.firstIndex(of: $1.0)! * $1.1 }
        let check = 31 - sum % 31
        body.append(alphabet[check == 31 ? 0 : check])
        return String(body)
    }

    func parksCSV() -> String {
        var text = "code,name,level,county\n"
        for index in 0..<parkCount {
            text += "PK-\(index),合作园区\(index)号,\(index % 3 == 0 ? "municipal" : "county"),\(Self.counties[index % Self.counties.count])\n"
        }
        return text
    }

    func enterprisesCSV() -> String {
        var text = "uscc,name,city\n"
        for index in 0..<enterpriseCount {
            text += "\(Self.uscc(index)),深圳市合作企业\(index)有限公司,深圳\n"
        }
        return text
    }

    /// Writes the projects twice: as staff write them (mixed amount forms,
    /// Chinese headers) for registry, and pre-normalised to fen for the shell.
    func writeProjects(registryFile: URL, shellFile: URL) throws {
        FileManager.default.createFile(atPath: registryFile.path, contents: nil)
        FileManager.default.createFile(atPath: shellFile.path, contents: nil)
        let forRegistry = try FileHandle(forWritingTo: registryFile)
        let forShell = try FileHandle(forWritingTo: shellFile)
        defer {
            try? forRegistry.close()
            try? forShell.close()
        }
        var random = Random(state: 0x9E37_79B9_7F4A_7C15)
        var registryText = "项目编号,项目名称,项目类型,所属园区,投资企业,所属行业,计划总投资,签约日期\n"
        var shellText = "code,name,kind,park,enterprise,sector,fen,signed_on\n"
        for index in 0..<rows {
            let code = "\(codePrefix)-\(index)"
            let name = self.name(index)
            let park = "PK-\(random.below(parkCount))"
            let enterprise = Self.uscc(random.below(enterpriseCount))
            let sector = Self.sectors[random.below(Self.sectors.count)]
            let date = String(format: "%d-%02d-%02d", years[index % years.count], 1 + random.below(12), 1 + random.below(28))
            // Amount forms staff write: yuan, 万, 亿, thousands separators.
            let wan = 100 + random.below(500_000)  // 100万 .. 50亿
            let amount: String
            switch index % 4 {
            case 0: amount = String(wan * 10_000)
            case 1: amount = "\(wan)万"
            case 2: amount = wan % 100 == 0 ? "\(wan / 10_000).\(String(format: "%02d", (wan % 10_000) / 100))亿" : "\(wan)万元"
            default: amount = (wan * 10_000 + random.below(10_000)).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
            }
            let fen: Int64
            switch index % 4 {
            case 3: fen = Int64(amount.replacingOccurrences(of: ",", with: ""))! * 100
            default: fen = Int64(wan) * 1_000_000
            }
            registryText += "\(code),\(name),investment,\(park),\(enterprise),\(sector),\"\(amount)\",\(date)\n"
            shellText += "\(code),\(name),investment,\(park),\(enterprise),\(sector),\(fen),\(date)\n"
            if registryText.utf8.count > 1 << 20 {
                forRegistry.write(Data(registryText.utf8))
                forShell.write(Data(shellText.utf8))
                registryText = ""
                shellText = ""
            }
        }
        forRegistry.write(Data(registryText.utf8))
        forShell.write(Data(shellText.utf8))
    }
}
