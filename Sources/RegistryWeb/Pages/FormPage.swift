import Foundation
import Hummingbird
import RegistryDomain
import RegistryStorage

/// A form as a page shows it: each field with its label, the value as
/// typed, and the message of the write path next to it when refused.
struct FormPage {
    struct Field {
        let name: String
        let label: String
        var value: String
        var type: String = "text"
        var required = false
        var options: [(value: String, label: String)] = []
        var hint: String? = nil
    }

    var fields: [Field]
    var messages: [String: String] = [:]
    /// A refusal that names no field of the form (a closed year, say).
    var general: [String] = []

    /// The values as the template reads them.
    var values: [String: Any] {
        [
            "fields": fields.map { field -> [String: Any] in
                var values: [String: Any] = [
                    "name": field.name, "label": field.label, "value": field.value, "type": field.type, "required": field.required,
                ]
                values["hasOptions"] = !field.options.isEmpty
                if !field.options.isEmpty {
                    values["options"] = field.options.map { ["value": $0.value, "label": $0.label, "selected": $0.value.sameBytes(as: field.value)] }
                }
                if let hint = field.hint { values["hint"] = hint }
                if let message = messages.first(where: { $0.key.sameBytes(as: field.name) })?.value { values["message"] = message }
                return values
            },
            "general": general,
            "refused": !messages.isEmpty || !general.isEmpty,
        ]
    }

    /// The field values typed into `form`, kept on a refusal so nothing is retyped.
    mutating func fill(from form: Form) {
        for index in fields.indices {
            if let value = form[fields[index].name] { fields[index].value = value }
        }
    }

    /// Puts the write path's refusal next to the fields it names. Errors
    /// that are not refusals of the data (a bug, a full disk) are rethrown.
    mutating func show(_ error: Error, labels: (String) -> String) throws {
        switch error {
        case let error as InvalidValue:
            add(error, labels: labels)
        case let errors as InvalidValues:
            for error in errors.errors { add(error, labels: labels) }
        case let error as DuplicateKeyError:
            messages[error.field] = "“\(error.key)”已存在（\(error.entity)），不能重复添加"
        case let error as SQLiteError where error.isBusy:
            general.append("数据库正忙（有人正在导入），未写入任何内容，请稍后再试。")
        default:
            throw error
        }
    }

    private mutating func add(_ error: InvalidValue, labels: (String) -> String) {
        let text = "\(labels(error.field))“\(error.value)”：\(error.reason)" + WebNextStep.suffix(error.nextStep)
        if fields.contains(where: { $0.name.sameBytes(as: error.field) }) {
            messages[error.field] = text
        } else {
            general.append(text)
        }
    }
}

/// `NextStep` in the web's terms: a page to open, not a command to type.
enum WebNextStep {
    static func suffix(_ step: NextStep?) -> String {
        guard let step else { return "" }
        switch step {
        case .list(let kind): return "（见“\(title(kind))”页）"
        case .add(let kind): return "（请先添加\(title(kind))）"
        case .reopenYear(let year): return "（须由管理员先重新开放 \(year) 年）"
        case .changeStage: return "（请在项目页用“变更阶段”）"
        case .listTargets(let year): return "（见 \(year) 年目标）"
        case .showFund: return "（见资金页）"
        case .giveUnit: return "：在导入页选择“金额单位”"
        case .upsert, .check, .initialize, .otherDatabase, .otherFileOrForce, .giveTargets: return ""
        }
    }

    static func title(_ kind: RecordKind) -> String {
        switch kind {
        case .park: "园区"
        case .enterprise: "企业"
        case .sector: "产业"
        case .fund: "资金"
        case .project: "项目"
        case .allocation: "资金批复"
        case .disbursement: "拨付"
        case .year: "年度"
        }
    }
}
