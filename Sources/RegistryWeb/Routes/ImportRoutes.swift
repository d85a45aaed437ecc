import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import RegistryDomain
import RegistryPresentation

/// 导入: a sheet uploaded, checked as a dry run first (nothing written),
/// then imported on confirmation, all or nothing, exactly as `registry
/// import` does (the same `Importer`, the signed-in person as the actor).
extension WebSite {
    func importForm(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        html(templates.page("import", title: "导入", chrome: chrome(user, version: nil), importData(user, kind: nil)))
    }

    private func importData(_ user: SignedIn, kind: String?) -> [String: Any] {
        [
            "csrf": user.csrf,
            "kinds": ImportKind.allCases.map { choice in
                [
                    "value": choice.rawValue, "label": Message.term(choice.rawValue).description,
                    "selected": kind.map { choice.rawValue.sameBytes(as: $0) } ?? false,
                ]
            },
        ]
    }

    /// Step 1 (a file): the dry run's report, and a confirm button holding
    /// a token for the upload kept here. Step 2 (the token): the import.
    func importFile(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let upload: PendingImports.Upload
        let confirming: Bool
        if let token = form["confirm"] {
            guard let pending = pendingImports.take(token, user: user.account.name) else {
                return html(
                    templates.page("message", title: "导入", chrome: chrome(user, version: nil), ["message": "待确认的导入已过期，请重新上传文件。"]),
                    status: .gone)
            }
            upload = pending
            confirming = true
        } else {
            guard let file = form.file("file"), !file.bytes.isEmpty, let kindText = form["kind"], let kind = ImportKind(rawValue: kindText) else {
                var data = importData(user, kind: form["kind"])
                data["problems"] = ["请选择类型并上传一个 CSV 或 Excel 文件。"]
                data["hasProblems"] = true
                return html(templates.page("import", title: "导入", chrome: chrome(user, version: nil), data), status: .unprocessableContent)
            }
            // The unit of bare amounts, when the sheet says none (as `--amounts-in`).
            let unit = form["unit"].flatMap { $0.isEmpty ? nil : Money.Unit(rawValue: $0) }
            upload = PendingImports.Upload(
                user: user.account.name, kind: kind, filename: file.filename, bytes: file.bytes, upsert: form["upsert"] != nil, unit: unit)
            confirming = false
        }
        let context = WriteContext(actor: user.account.name, command: "web: import \(upload.kind.rawValue)")
        let outcome: Result<ImportReport, Error> = await {
            do {
                return .success(
                    try await pool.write { registry in
                        try Self.withTemporaryFile(upload.bytes) { path in
                            try Importer.run(
                                upload.kind, path: path, into: registry, context: context,
                                options: Importer.Options(dryRun: !confirming, upsert: upload.upsert, unit: upload.unit))
                        }
                    })
            } catch {
                return .failure(error)
            }
        }()
        var data = importData(user, kind: upload.kind.rawValue)
        data["filename"] = upload.filename
        switch outcome {
        case .success(let report):
            data["summary"] = "读取 \(report.rowsRead) 行：新增 \(report.inserted)，更新 \(report.updated)，未变 \(report.unchanged)"
            // The tolerances, and on the dry run what each update would change.
            let notes = ImportSummary.notes(report) + (confirming ? [] : ImportSummary.changes(report))
            data["notes"] = notes.map(\.description)
            data["hasNotes"] = !notes.isEmpty
            if confirming {
                data["done"] = true
            } else {
                data["confirm"] = pendingImports.keep(upload)
            }
            return html(templates.page("import", title: "导入", chrome: chrome(user, version: nil), data))
        case .failure(let error as ImportFailed):
            data["problems"] = error.report.problems.map { $0.message.description + WebNextStep.suffix($0.nextStep) }
            data["hasProblems"] = true
            data["summary"] = "共 \(error.report.problemCount) 处问题，未写入任何内容。"
            return html(templates.page("import", title: "导入", chrome: chrome(user, version: nil), data), status: .unprocessableContent)
        case .failure(let error as WorkbookError):
            data["problems"] = [error.message.description]
            data["hasProblems"] = true
            return html(templates.page("import", title: "导入", chrome: chrome(user, version: nil), data), status: .unprocessableContent)
        case .failure(let error as TextEncodingError):
            data["problems"] = [error.message.description]
            data["hasProblems"] = true
            return html(templates.page("import", title: "导入", chrome: chrome(user, version: nil), data), status: .unprocessableContent)
        case .failure(let error):
            var page = FormPage(fields: [])
            try page.show(error) { $0 }
            data["problems"] = page.general + page.messages.values
            data["hasProblems"] = true
            return html(templates.page("import", title: "导入", chrome: chrome(user, version: nil), data), status: .unprocessableContent)
        }
    }

    /// Writes `bytes` to a private temporary file for the importer, removed afterwards.
    static func withTemporaryFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "/registry-upload-\(WebSession.newToken()).csv"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw HTTPError(.internalServerError, message: "cannot keep the upload")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }
}

/// Uploads that passed their dry run, waiting for the person to confirm
/// (30 minutes at most, and only by the person who uploaded them).
final class PendingImports: Sendable {
    struct Upload: Sendable {
        let user: String
        let kind: ImportKind
        let filename: String
        let bytes: [UInt8]
        let upsert: Bool
        let unit: Money.Unit?
    }

    private let uploads = NIOLockedValueBox<[String: (Upload, Date)]>([:])

    func keep(_ upload: Upload) -> String {
        let token = WebSession.newToken()
        uploads.withLockedValue { uploads in
            let now = Date()
            uploads = uploads.filter { now.timeIntervalSince($0.value.1) < 1_800 }
            uploads[token] = (upload, now)
        }
        return token
    }

    func take(_ token: String, user: String) -> Upload? {
        uploads.withLockedValue { uploads in
            guard let (upload, at) = uploads[token], Date().timeIntervalSince(at) < 1_800, upload.user.sameBytes(as: user) else { return nil }
            uploads[token] = nil
            return upload
        }
    }
}
