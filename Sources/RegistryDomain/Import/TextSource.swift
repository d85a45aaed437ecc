import Foundation
import Glibc

/// The text encodings a spreadsheet file may come in.
public enum ImportEncoding: String, CaseIterable, Sendable {
    /// Valid UTF-8 is UTF-8; anything else is read as GB18030.
    case auto
    case utf8 = "utf-8"
    /// GB18030 (a superset of GBK and GB2312): what Excel on a Chinese Windows
    /// writes when a sheet is saved as "CSV".
    case gb18030
    /// UTF-16 with its byte-order mark: Excel's "Unicode 文本" (tab-separated).
    case utf16 = "utf-16"
}

/// Why a file cannot be read as text.
public struct TextEncodingError: Error, Equatable, Sendable, MessageDescribed {
    public let path: String
    public let detail: Message
    /// True when reading the file as the other encoding may help (the front
    /// end says how to ask for it).
    public var otherEncodingMayHelp = false
    public var message: Message { "\(path): \(detail)" }

    init(path: String, detail: Message, otherEncodingMayHelp: Bool = false) {
        self.path = path
        self.detail = detail
        self.otherEncodingMayHelp = otherEncodingMayHelp
    }
}

/// Streams a file as UTF-8 bytes, in chunks of about 1 MiB, whatever its
/// encoding: memory stays flat however large the file is.
///
/// A UTF-8 byte-order mark at the start is dropped, so it never reaches a
/// column name. GB18030 is converted with the C library's `iconv`.
public final class TextSource {
    public static let chunkSize = 1 << 20

    public let path: String
    /// The encoding actually used (`auto` resolved).
    public let encoding: ImportEncoding
    private let handle: FileHandle
    private var converter: GB18030Converter?
    /// The field separator the encoding implies: a tab for UTF-16 ("Unicode 文本"), else a comma.
    public var separator: UInt8 { encoding == .utf16 ? 0x09 : UInt8(ascii: ",") }
    private var atStart = true
    /// Bytes read from the file so far, for progress reports.
    public private(set) var bytesRead: UInt64 = 0
    public let fileSize: UInt64

    public init(path: String, encoding: ImportEncoding) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TextEncodingError(path: path, detail: FileManager.default.fileExists(atPath: path) ? "cannot be read (permissions?)" : "no such file")
        }
        self.path = path
        self.handle = handle
        self.fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        var resolved = encoding
        if encoding == .auto {
            let start = [UInt8](try handle.read(upToCount: 2) ?? Data())
            try handle.seek(toOffset: 0)
            if start == [0xFF, 0xFE] || start == [0xFE, 0xFF] {
                resolved = .utf16
            } else if try Self.isValidUTF8(handle) {
                try handle.seek(toOffset: 0)
                resolved = try Self.readsAsChineseInGB18030(handle, path: path) ? .gb18030 : .utf8
            } else {
                resolved = .gb18030
            }
            try handle.seek(toOffset: 0)
        }
        self.encoding = resolved
        if resolved == .gb18030 {
            converter = try GB18030Converter(path: path)
        } else if resolved == .utf16 {
            converter = try GB18030Converter(path: path, from: "UTF-16")
        }
    }

    deinit { try? handle.close() }

    /// The next chunk of UTF-8 bytes, or nil at the end of the file.
    public func next() throws -> [UInt8]? {
        guard let data = try handle.read(upToCount: Self.chunkSize), !data.isEmpty else {
            if let converter, !converter.isDrained {
                throw TextEncodingError(path: path, detail: "ends in the middle of a GB18030 character", otherEncodingMayHelp: true)
            }
            if !utf8Carry.isEmpty {
                throw TextEncodingError(path: path, detail: "ends in the middle of a UTF-8 character", otherEncodingMayHelp: true)
            }
            return nil
        }
        bytesRead += UInt64(data.count)
        var bytes = [UInt8](data)
        if let converter {
            bytes = try converter.convert(bytes)
        } else if encoding == .utf8 {
            // Validated chunk by chunk when the user named the encoding.
            try validateUTF8Chunk(&bytes)
        }
        if atStart {
            atStart = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        }
        return bytes
    }

    // MARK: UTF-8 checking

    private var utf8Carry: [UInt8] = []
    private var utf8Offset: UInt64 = 0

    private func validateUTF8Chunk(_ bytes: inout [UInt8]) throws {
        let whole = utf8Carry + bytes
        let cut = Self.completeUTF8Prefix(whole)
        guard String(validating: whole[..<cut], as: UTF8.self) != nil else {
            throw TextEncodingError(path: path, detail: "is not valid UTF-8 (near byte \(utf8Offset))", otherEncodingMayHelp: true)
        }
        utf8Offset += UInt64(cut)
        utf8Carry = Array(whole[cut...])
        bytes = Array(whole[..<cut])
        if bytes.isEmpty && !utf8Carry.isEmpty && utf8Carry.count >= 4 {
            throw TextEncodingError(path: path, detail: "is not valid UTF-8", otherEncodingMayHelp: true)
        }
    }

    /// Length of the prefix of `bytes` that ends on a character boundary: a
    /// multi-byte character cut by the chunk end is left for the next chunk.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        var back = 0
        while index > 0, back < 4 {
            index -= 1
            back += 1
            let byte = bytes[index]
            if byte & 0b1100_0000 != 0b1000_0000 {  // not a continuation byte
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                return back < length ? index : bytes.count
            }
        }
        return bytes.count
    }

    /// Whether a short file that is valid UTF-8 is really GB18030: its bytes
    /// read as GB18030 are Chinese, and as UTF-8 are not (`医院` in GB18030 is
    /// `ҽԺ` in UTF-8). Only files under 1 MiB are weighed: in a longer
    /// GB18030 file some byte pair is invalid UTF-8, which settles it.
    private static func readsAsChineseInGB18030(_ handle: FileHandle, path: String) throws -> Bool {
        guard let data = try handle.read(upToCount: chunkSize + 1), data.count <= chunkSize, data.contains(where: { $0 >= 0x80 }) else { return false }
        let bytes = [UInt8](data)
        let utf8 = String(decoding: bytes, as: UTF8.self)
        guard let converter = try? GB18030Converter(path: path), let converted = try? converter.convert(bytes), converter.isDrained,
            let gb = String(validating: converted, as: UTF8.self)
        else { return false }
        return chineseShare(gb) > 0.9 && chineseShare(utf8) < 0.5
    }

    /// The share of non-ASCII characters that are Chinese (ideographs, CJK punctuation, full-width forms).
    static func chineseShare(_ text: String) -> Double {
        var nonASCII = 0, chinese = 0
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            nonASCII += 1
            switch scalar.value {
            case 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x2FFFF: chinese += 1
            default: break
            }
        }
        return nonASCII == 0 ? 0 : Double(chinese) / Double(nonASCII)
    }

    /// Reads the whole file once, chunk by chunk, to tell UTF-8 from GB18030.
    private static func isValidUTF8(_ handle: FileHandle) throws -> Bool {
        var carry: [UInt8] = []
        while let data = try handle.read(upToCount: chunkSize), !data.isEmpty {
            let whole = carry + [UInt8](data)
            let cut = completeUTF8Prefix(whole)
            guard String(validating: whole[..<cut], as: UTF8.self) != nil else { return false }
            carry = Array(whole[cut...])
        }
        return carry.isEmpty
    }
}

/// GB18030 → UTF-8 with the C library's iconv, across chunk boundaries.
final class GB18030Converter {
    private let descriptor: iconv_t
    private let path: String
    private var carry: [UInt8] = []

    init(path: String, from encoding: String = "GB18030") throws {
        self.path = path
        descriptor = iconv_open("UTF-8", encoding)
        guard descriptor != iconv_t(bitPattern: -1) else {
            throw TextEncodingError(path: path, detail: "this system's iconv cannot read \(encoding)")
        }
    }

    deinit { iconv_close(descriptor) }

    var isDrained: Bool { carry.isEmpty }

    func convert(_ chunk: [UInt8]) throws -> [UInt8] {
        var input = carry + chunk
        // A GB18030 character is at most 4 bytes, which become at most 4 UTF-8 bytes.
        // (A UTF-16 unit, 2 bytes, becomes at most 3.)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var inputLeft = input.count
        var outputLeft = output.count
        let result = input.withUnsafeMutableBytes { inputBuffer in
            output.withUnsafeMutableBytes { outputBuffer in
                var inputPointer = inputBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outputPointer = outputBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                return iconv(descriptor, &inputPointer, &inputLeft, &outputPointer, &outputLeft)
            }
        }
        if result == -1, errno != EINVAL {  // EINVAL: an incomplete character at the end, kept for next time
            throw TextEncodingError(path: path, detail: "is neither valid UTF-8 nor GB18030 (near byte \(input.count - inputLeft))", otherEncodingMayHelp: true)
        }
        carry = Array(input.suffix(inputLeft))
        return Array(output.prefix(output.count - outputLeft))
    }
}
