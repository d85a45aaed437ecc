import Foundation
import RegistryDomain
import RegistryPresentation
import RegistryStorage

/// Exit codes, after BSD `sysexits.h` so that scripts can tell failures apart.
public enum ExitStatus {
    public static let findings: Int32 = 1  // a check found something (audit run --fail-on)
    public static let usage: Int32 = 64  // EX_USAGE: the command line is wrong
    public static let dataError: Int32 = 65  // EX_DATAERR: a value was refused; nothing written
    public static let noInput: Int32 = 66  // EX_NOINPUT: no database (run init) or input file
    public static let software: Int32 = 70  // EX_SOFTWARE: an internal error
    public static let cannotCreate: Int32 = 73  // EX_CANTCREAT: the output file exists (no --force)
    public static let ioError: Int32 = 74  // EX_IOERR: disk full, read-only file, I/O failure
    public static let busy: Int32 = 75  // EX_TEMPFAIL: another writer holds the database
    public static let noPermission: Int32 = 77  // EX_NOPERM: the database file or its folder is read-only
    public static let config: Int32 = 78  // EX_CONFIG: schema from another or newer registry
    public static let interrupted: Int32 = 130  // 128 + SIGINT: stopped by Ctrl-C; nothing reported

    /// `planned-investment "abc": is not an amount; ...`: the field as its option is spelled.
    /// In Chinese the field as staff call it, with its option: `计划总投资（--planned-investment）"abc"：…`.
    static func fieldMessage(_ error: InvalidValue) -> Message {
        let option = error.field.replacingOccurrences(of: "_", with: "-")
        let field: Message.Argument =
            if let label = ImportKind.staffName(of: error.field) { .spelled(english: option, chinese: "\(label)（--\(option)）") } else {
                .text(option)
            }
        return Message(id: "{0} \"{1}\": {2}", arguments: [field, .text(error.value), .message(error.reason)]) + NextStepText.suffix(error.nextStep)
    }

    /// Errors of the registry itself (as opposed to the argument parser's).
    static func isRegistryError(_ error: Error) -> Bool {
        error is InvalidValue || error is RegistryError || error is SQLiteError
            || error is InvalidValues || error is DuplicateKeyError || error is TextEncodingError || error is WorkbookError || error is CLIFailure
            || error is AuditError
            || error is RestoreRefused || error is UnexpectedStoredValue || error is SyncError
    }

    /// The one-line message and exit code for an error that reached the top.
    static func describe(_ error: Error) -> (message: Message, code: Int32) {
        switch error {
        case let error as InvalidValue:
            return (fieldMessage(error), dataError)
        case let errors as InvalidValues:
            // Still one line: every refused field, separated by semicolons.
            return (Message.joined(errors.errors.map(fieldMessage), separator: "; "), dataError)
        case let error as DuplicateKeyError:
            return ("\(error.message); use `registry \(error.entity) update` to change it", dataError)
        case let error as TextEncodingError:
            let hint: Message =
                "; save the sheet from Excel as CSV (逗号分隔) or as .xlsx and import that, or name the encoding with --encoding utf-8, gb18030 or utf-16"
            return (error.otherEncodingMayHelp ? error.message + hint : error.message, dataError)
        case let error as WorkbookError:
            return (error.message, dataError)
        case let error as CLIFailure:
            return (error.message, error.code)
        case let error as AuditError:
            if case .damagedFile = error { return (error.message + NextStepText.suffix(.check), findings) }
            if case .builtInRuleFailed = error { return (error.message, software) }
            if case .cancelled = error { return (error.message, interrupted) }
            return (error.message, error.isUsage ? usage : dataError)
        case let error as UnexpectedStoredValue:
            return (
                "\(error.column) holds \"\(error.value)\", which is not \(error.expected): the database was changed outside the program; run `registry verify`",
                dataError
            )
        case let error as SyncError:
            switch error {
            case .conflicts: return ("\(error.message); resolve them (see above), then the bundle applies", findings)
            case .keyMissing: return (error.message, noInput)
            case .keyExposed: return (error.message, noPermission)
            case .keyExists: return ("\(error.message); pass --replace to make a new one", cannotCreate)
            default: return (error.message, dataError)
            }
        case let error as RestoreRefused:
            return (error.message, findings)
        case let error as RegistryError:
            let message = error.message + NextStepText.suffix(error.nextStep)
            switch error {
            // A missing file may also be the wrong path: say how to give another.
            case .databaseMissing: return (message + " to create it (or pass --db / set REGISTRY_DB)", noInput)
            case .notARegistryDatabase: return (message, dataError)
            case .upgradeNeeded, .incompatibleSchema: return (message, config)
            case .outputExists, .outputIsDatabase: return (message, cannotCreate)
            case .otherRegistry: return (message + "; pass --other-registry to replace it all the same", cannotCreate)
            case .readOnly: return (message, noPermission)
            case .backupFailed: return (message, ioError)
            }
        case let error as SQLiteError:
            if error.isBusy {
                return (
                    "the registry is busy: another user's command (an import, say) kept it locked through \(Registry.writeAttempts) attempts of \(Double(Registry.busyTimeoutMilliseconds) / 1000) s; nothing was written; try again",
                    busy
                )
            }
            if error.isDiskFull {
                return ("the disk is full; nothing was written (\(error.message))", ioError)
            }
            if error.isReadOnly {
                return (
                    "the registry database is read-only here (the file or its folder is not writable, or the disk is mounted read-only); nothing was written (\(error.message))",
                    noPermission
                )
            }
            if error.isCannotOpen {
                return ("cannot open the registry database: \(error.message); check that the directory exists and is writable", noInput)
            }
            if error.isIntegerOverflow {
                return (
                    "a total is beyond what registry can add up exactly (more than \(Money(fen: .max).formatted(.yi))); no figure is shown rather than a wrong one",
                    dataError
                )
            }
            if error.isIOError {
                return ("the registry database could not be read or written (\(error.message)); is --db a regular file on a working disk?", ioError)
            }
            if error.isConstraintViolation {
                return ("the database refused the change: \(error.message); nothing was written", dataError)
            }
            return ("database error: \(error)", software)
        default:
            return (.verbatim("\(error)"), software)
        }
    }
}
