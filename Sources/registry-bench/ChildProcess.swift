import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process measured the way the benchmark reports it: wall time and
/// peak resident memory (`PeakMemory`, for that child alone).
struct ChildProcess {
    struct Measurement {
        let status: Int32
        let seconds: Double
        let peakMemoryKiB: Int
    }

    /// Runs `arguments` (the first is the program, looked up in PATH) with
    /// stdin from `input` when given; stdout to `output` (else `log`), stderr to `log`.
    static func run(_ arguments: [String], input: String? = nil, log: String, output: String? = nil) throws -> Measurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input { posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0) }
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let output {
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 2, 1)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let started = DispatchTime.now()
        let code = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard code == 0 else { throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(code)))") }
        // The end is taken by a thread that waits for the child (a poll would
        // round every time up to its interval); this one samples memory meanwhile.
        let peak = PeakMemory(pid: pid)
        let ended = Exit()
        let done = DispatchSemaphore(value: 0)
        let child = pid
        DispatchQueue.global().async {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
            ended.record(status: status)
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(2)) == .timedOut { peak.sample() }
        let status = ended.status
        let seconds = Double(ended.at - started.uptimeNanoseconds) / 1e9
        let exitStatus = Self.exitStatus(status)
        return Measurement(status: exitStatus, seconds: seconds, peakMemoryKiB: peak.kiB)
    }
}

/// When and how a child ended, written by the thread that waited for it.
final class Exit: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: (status: Int32, at: UInt64) = (0, 0)

    func record(status: Int32) {
        lock.withLock { recorded = (status, DispatchTime.now().uptimeNanoseconds) }
    }

    var status: Int32 { lock.withLock { recorded.status } }
    var at: UInt64 { lock.withLock { recorded.at } }
}

/// A child's peak resident memory, from `VmHWM` in /proc/<pid>/status,
/// sampled while it runs (the high-water mark only grows, so the last sample
/// misses at most the last 2 ms).
///
/// Why not `ru_maxrss` from `wait4`: posix_spawn starts the child in this
/// process's memory (vfork), and at exec Linux records that memory's
/// high-water mark as the child's, so every child would seem to use at
/// least what this benchmark holds (about 29 MiB of generated data).
final class PeakMemory {
    let path: String
    private(set) var kiB = 0

    init(pid: pid_t) { path = "/proc/\(pid)/status" }

    func sample() {
        guard let status = try? String(contentsOfFile: path, encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let value = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        else { return }
        kiB = max(kiB, value)
    }
}

extension ChildProcess {
    /// The exit code of a wait status, or 128 + the signal that ended the child.
    static func exitStatus(_ status: Int32) -> Int32 {
        (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension ChildProcess {
    struct StreamMeasurement {
        let measurement: Measurement
        /// Seconds from start until the header and the first row (two lines) had come out.
        let firstRowSeconds: Double?
        let lines: Int
        let bytes: Int
    }

    /// Runs `arguments` with stdout read through a pipe, as a reader of a
    /// streamed listing would: when the first row arrives, how many lines
    /// there are in all, and the child's peak memory.
    static func stream(_ arguments: [String], log: String) throws -> StreamMeasurement {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw BenchError("pipe: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let started = DispatchTime.now()
        let code = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        close(fds[1])
        guard code == 0 else {
            close(fds[0])
            throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(code)))")
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var lines = 0, bytes = 0
        var firstRow: Double?
        let peak = PeakMemory(pid: pid)
        while true {
            var ready = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            peak.sample()
            if poll(&ready, 1, 2) == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += count
            for index in 0..<count where buffer[index] == 0x0A { lines += 1 }
            if firstRow == nil && lines >= 2 {
                firstRow = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            }
        }
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        let exitStatus = Self.exitStatus(status)
        return StreamMeasurement(
            measurement: Measurement(status: exitStatus, seconds: seconds, peakMemoryKiB: peak.kiB),
            firstRowSeconds: firstRow, lines: lines, bytes: bytes)
    }
}
