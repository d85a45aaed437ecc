#!/usr/bin/env bash
# Builds the fuzz targets over the parsers' own source files and runs each
# for a bounded time: with libFuzzer (swiftc -sanitize=fuzzer) where the
# toolchain has it, otherwise with Fuzz/Driver.swift, a deterministic
# random-input driver over the same target functions.
# Used by the test FuzzTargetTests (from `swift test`); also by hand:
#   Fuzz/run-fuzzers.sh 300            # 5 minutes per target
# Exits non-zero when a target finds a crash, a trap or a hang; libFuzzer
# leaves the input in the output folder as crash-* / timeout-*.
set -euo pipefail
seconds="${1:-20}"
# A fixed seed by default, so that CI runs repeat; FUZZ_SEED=0 lets libFuzzer pick one.
seed="${FUZZ_SEED:-2025}"
out="${2:-$(mktemp -d)}"
mkdir -p "$out"
cd "$(dirname "$0")/.."
# Validation writes its refusals as catalogue messages, so the catalogue comes along.
validation=(Sources/RegistryDomain/Validation/*.swift Sources/RegistryDomain/Messages/*.swift)

# Does this toolchain link libFuzzer? (FUZZ_ENGINE=driver forces the fallback.)
printf '@_cdecl("LLVMFuzzerTestOneInput") public func f(_ d: UnsafePointer<UInt8>, _ n: Int) -> CInt { 0 }\n' > "$out/probe.swift"
if [ "${FUZZ_ENGINE:-}" != driver ] && swiftc -sanitize=fuzzer -parse-as-library "$out/probe.swift" -o "$out/probe" >/dev/null 2>&1; then
    engine=libfuzzer
else
    engine=driver
fi

build() { # name, extra sources...
    local name="$1"; shift
    if [ "$engine" = libfuzzer ]; then
        swiftc -sanitize=fuzzer -parse-as-library -Onone -module-name RegistryFuzz "Fuzz/$name.swift" "$@" -o "$out/$name"
    else
        swiftc -parse-as-library -O -module-name RegistryFuzz "Fuzz/$name.swift" Fuzz/Driver.swift "$@" -o "$out/$name"
    fi
}
build MoneyFuzz "${validation[@]}"
build DateFuzz "${validation[@]}"
build CSVFuzz Sources/RegistryDomain/Import/CSVRecordReader.swift Sources/RegistryDomain/Messages/*.swift

for name in MoneyFuzz DateFuzz CSVFuzz; do
    if [ "$engine" = libfuzzer ]; then
        mkdir -p "$out/corpus-$name"
        cp Fuzz/seeds/"$name"/* "$out/corpus-$name/"
        # The seeds (regressions included) run first, then libFuzzer mutates them.
        ( cd "$out" && SWIFT_BACKTRACE=enable=no "./$name" -max_total_time="$seconds" -seed="$seed" -timeout=5 -max_len=512 \
            -print_final_stats=1 "corpus-$name" > "$name.log" 2>&1 ) \
            || { tail -40 "$out/$name.log"; echo "$name: FAILED (see $out)"; exit 1; }
    else
        ( cd "$out" && "./$name" "$seconds" "$seed" > "$name.log" 2>&1 ) \
            || { tail -40 "$out/$name.log"; echo "$name: FAILED (see $out)"; exit 1; }
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$name.log" | grep -o '[0-9]*$')
    echo "$name ($engine): $runs inputs in $seconds s, no crash, no hang"
done
