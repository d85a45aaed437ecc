import Foundation

/// Where a command's text goes as it is made: a file descriptor written in
/// 64 KiB blocks (a million-row listing costs a few hundred writes, and
/// memory stays flat), or a string (for output built whole).
package final class TextSink {
    private let handle: FileHandle?
    private var buffer: [UInt8] = []
    package private(set) var text = ""

    private init(handle: FileHandle?) {
        self.handle = handle
        buffer.reserveCapacity(Self.blockSize + 4096)
    }

    package static let blockSize = 1 << 16

    /// Standard output. Use it for all of a command's output (mixing it with
    /// `print`, which has its own buffer, would reorder lines).
    package static func standardOutput() -> TextSink { TextSink(handle: .standardOutput) }

    /// An open file (the temporary file of `OutputFile.stream`).
    package static func file(_ handle: FileHandle) -> TextSink { TextSink(handle: handle) }

    /// Text kept in `text`.
    package static func string() -> TextSink { TextSink(handle: nil) }

    package func write(_ piece: String) {
        guard handle != nil else {
            text += piece
            return
        }
        buffer.append(contentsOf: piece.utf8)
        if buffer.count >= Self.blockSize { flush() }
    }

    /// Hands what is buffered to the operating system (after the first row,
    /// so that a reader sees it at once, and at the end).
    package func flush() {
        guard let handle, !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}
