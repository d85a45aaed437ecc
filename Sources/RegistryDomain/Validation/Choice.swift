/// A field with a fixed set of values, each with a stable English key and the
/// Chinese words staff use for it.
public protocol Choice: RawRepresentable<String>, CaseIterable, Sendable, Hashable {
    /// The Chinese name shown in tables and reports.
    var chineseName: String { get }
    /// Other spellings accepted on input (Chinese synonyms).
    var aliases: [String] { get }
}

extension Choice {
    public var aliases: [String] { [] }

    /// Accepted spellings, for messages: `municipal|county (市级|县级)`.
    public static var acceptedValues: String {
        let keys = allCases.map(\.rawValue).joined(separator: "|")
        let names = allCases.map(\.chineseName).joined(separator: "|")
        return "\(keys) (\(names))"
    }

    /// Parses the English key (any case) or a Chinese name or alias.
    public static func parse(_ text: String, field: String) throws -> Self {
        // The stored key or the Chinese name exactly as written (a ledger's cells): no folding needed.
        if let exact = allCases.first(where: { $0.rawValue.utf8.elementsEqual(text.utf8) || $0.chineseName.utf8.elementsEqual(text.utf8) }) {
            return exact
        }
        let wanted = TextNormalization.halfwidthTrimmed(text)
        let lowered = wanted.lowercased()
        if let match = allCases.first(where: {
            $0.rawValue == lowered || $0.chineseName == wanted || $0.aliases.contains(wanted)
        }) {
            return match
        }
        throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is not accepted; accepted: \(acceptedValues)")
    }
}

public enum ParkLevel: String, Choice {
    case municipal
    case county

    public var chineseName: String {
        switch self {
        case .municipal: "市级"
        case .county: "县级"
        }
    }

    public var aliases: [String] {
        switch self {
        case .municipal: ["市级园区", "市"]
        case .county: ["县级园区", "县", "县区级"]
        }
    }
}

public enum ProjectKind: String, Choice {
    case investment
    case wellbeing

    public var chineseName: String {
        switch self {
        case .investment: "招商项目"
        case .wellbeing: "民生项目"
        }
    }

    public var aliases: [String] {
        switch self {
        case .investment: ["招商", "投资", "投资项目"]
        case .wellbeing: ["民生"]
        }
    }
}

/// A project's stage. Stages only move forward (signed → construction →
/// operating); any stage but cancelled may move to cancelled, which is final.
public enum ProjectStage: String, Choice {
    case signed
    case construction
    case operating
    case cancelled

    public var chineseName: String {
        switch self {
        case .signed: "签约"
        case .construction: "在建"
        case .operating: "投产"
        case .cancelled: "终止"
        }
    }

    public var aliases: [String] {
        switch self {
        case .signed: ["已签约"]
        case .construction: ["建设", "建设中", "开工"]
        case .operating: ["已投产", "运营", "投产运营"]
        case .cancelled: ["取消", "已终止", "已取消"]
        }
    }

    /// Position in the forward order; cancelled is after everything.
    var order: Int {
        switch self {
        case .signed: 0
        case .construction: 1
        case .operating: 2
        case .cancelled: 3
        }
    }

    /// Whether a project at `self` may move to `next`.
    public func canMove(to next: ProjectStage) -> Bool {
        self != .cancelled && next.order > order
    }
}
