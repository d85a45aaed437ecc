import Foundation
import Hummingbird
import NIOCore
import RegistryStorage

/// A submitted form: `application/x-www-form-urlencoded` fields, or the
/// fields and files of `multipart/form-data` (the import upload). Looked up
/// by the bytes of the name.
struct Form: Sendable {
    var fields: [(name: String, value: String)] = []
    var files: [(name: String, filename: String, bytes: [UInt8])] = []

    subscript(_ name: String) -> String? {
        fields.first { $0.name.sameBytes(as: name) }?.value
    }

    /// A field as a value for the write path: absent when empty.
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.allSatisfy({ $0.isWhitespace }) else { return nil }
        return value
    }

    func file(_ name: String) -> (filename: String, bytes: [UInt8])? {
        files.first { $0.name.sameBytes(as: name) }.map { ($0.filename, $0.bytes) }
    }

    /// Reads the body of `request` as a form.
    static func read(_ request: inout Request, limit: Int) async throws -> Form {
        let buffer = try await request.collectBody(upTo: limit)
        let bytes = Array(buffer.readableBytesView)
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = Self.boundary(of: contentType) else { throw HTTPError(.badRequest, message: "multipart form without a boundary") }
            return try Multipart.parse(bytes, boundary: boundary)
        }
        return Form(fields: Self.urlEncoded(bytes))
    }

    /// `a=1&b=%E5%BC%A0` → fields; `+` is a space.
    static func urlEncoded(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecoded(parts[0])
            let value = parts.count > 1 ? percentDecoded(parts[1]) : ""
            return (name, value)
        }
    }

    static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(0x20)
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        // Invalid UTF-8 becomes U+FFFD, which every validator then refuses
        // as it would from a file (never silently dropped).
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func boundary(of contentType: String) -> String? {
        for part in contentType.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("boundary=") {
                var value = String(trimmed.dropFirst("boundary=".count))
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }
}

/// The part of RFC 7578 a browser's file upload uses.
enum Multipart {
    static func parse(_ body: [UInt8], boundary: String) throws -> Form {
        let delimiter = Array("--\(boundary)".utf8)
        var form = Form()
        var parts: [ArraySlice<UInt8>] = []
        var start: Int? = nil
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            if let start { parts.append(body[start..<max(start, found - 2)]) }  // drop the CRLF before the delimiter
            index = found + delimiter.count
            if body.count >= index + 2, body[index] == UInt8(ascii: "-"), body[index + 1] == UInt8(ascii: "-") { break }
            index += 2  // CRLF after the delimiter
            start = index
        }
        for part in parts {
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: Array(part), from: 0) else { continue }
            let headerBytes = Array(part.prefix(headerEnd))
            let content = Array(part.dropFirst(headerEnd + 4))
            let headers = String(decoding: headerBytes, as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }) else { continue }
            guard let name = parameter("name", in: String(disposition)) else { continue }
            if let filename = parameter("filename", in: String(disposition)) {
                form.files.append((name, filename, content))
            } else {
                form.fields.append((name, String(decoding: content, as: UTF8.self)))
            }
        }
        return form
    }

    private static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(key + "=") else { continue }
            var value = String(trimmed.dropFirst(key.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count, from <= haystack.count - needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
