/// Bytes as lowercase hexadecimal text: hashes (a migration's checksum, a
/// change-log entry's hash) and blobs in messages.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
