// A deterministic stand-in for libFuzzer, for toolchains without
// `-sanitize=fuzzer`: feeds the same target function seeded pseudo-random
// inputs (bytes that matter to CSV, money and dates, CJK text and noise)
// until the time is up. Built by run-fuzzers.sh only when libFuzzer is not
// available. Usage: Target SECONDS [SEED]
import Foundation

@_silgen_name("LLVMFuzzerTestOneInput")
func fuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt

@main
struct Driver {
    static func main() {
        let arguments = CommandLine.arguments
        let seconds = arguments.count > 1 ? Double(arguments[1]) ?? 10 : 10
        var state: UInt64 = arguments.count > 2 ? UInt64(arguments[2]) ?? 1 : 1
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let pieces: [[UInt8]] = ["0", "1", "5", "9", ",", ".", "-", "+", "\"", "\n", "\r", "/", "年", "月", "日", "万", "亿", "元",
                                 "¥", "１", "２", "e", " ", "\u{301}", "'", "="].map { Array($0.utf8) }
        let deadline = Date().addingTimeInterval(seconds)
        var runs = 0
        var input: [UInt8] = []
        while Date() < deadline {
            for _ in 0..<1000 {
                input.removeAll(keepingCapacity: true)
                for _ in 0..<Int(next() % 40) {
                    if next() % 8 == 0 { input.append(UInt8(truncatingIfNeeded: next())) } else { input += pieces[Int(next() % UInt64(pieces.count))] }
                }
                _ = input.withUnsafeBufferPointer { fuzzTarget($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
                runs += 1
            }
        }
        print("stat::number_of_executed_units: \(runs)")
    }
}
