#!/usr/bin/env bash
# fuzz.sh SECONDS [TARGET...]: builds the fuzz preset (clang, libFuzzer, ASan + UBSan; installs clang and the
# sanitizer runtimes if missing) and runs every fuzz target (or the ones named) until it has executed FUZZ_RUNS
# inputs (default 1,000,000) or for SECONDS, whichever comes first, as many at a time as this machine has cores. New inputs go to build/fuzz/corpus/<target>/ (the checked-in seeds in tests/fuzz/corpus/ are
# only read); a crash, leak or UB report leaves its input in build/fuzz/artifacts/<target>/ and fails the run.
# Prints one Markdown row per target (executions, coverage) for docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true

scripts/setup.sh
scripts/install-packages.sh clang libclang-rt-14-dev libfuzzer-14-dev
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=($(sed -n 's/^set(LLMF_FUZZ_TARGETS \([^$)]*\))$/\1/p' tests/fuzz/CMakeLists.txt))
fi
jobs=${FUZZ_JOBS:-$(nproc)}
# ODR checking trips over LibTorch's own duplicate symbols; leaks and UB stay on (and halt).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen OMP_NUM_THREADS=1 LLMF_NUM_THREADS=1
# The checklist, metrics and trainer-state harnesses write the file they then read: on tmpfs, not the disk.
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm

run_one() {
    local t=$1 work=build/fuzz/corpus/$1 art=build/fuzz/artifacts/$1/ log=build/fuzz/logs/$1.log
    mkdir -p "$work" "$art" build/fuzz/logs
    local extra=() # a dictionary, and options such as -max_len where the parser is slow on big inputs
    [ -f "tests/fuzz/dict/$t.dict" ] && extra+=(-dict="tests/fuzz/dict/$t.dict")
    [ -f "tests/fuzz/options/$t.options" ] && extra+=($(cat "tests/fuzz/options/$t.options"))
    if build/fuzz/bin/fuzz_"$t" -runs="${FUZZ_RUNS:-1000000}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$art" "${extra[@]}" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
        echo "ok" >"$log.status"
    else
        echo "FAILED" >"$log.status"
    fi
}

running=0
for t in "${targets[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait

status=0
total=0
echo
echo "| target | executions | exec/s | coverage (edges) | features | corpus | result |"
echo "|---|---|---|---|---|---|---|"
for t in "${targets[@]}"; do
    log=build/fuzz/logs/$t.log
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    corp=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    result=$(cat "$log.status")
    [ "$result" = ok ] || status=1
    total=$((total + ${execs:-0}))
    echo "| $t | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $result |"
done
echo
echo "Total: $total executions ($(awk "BEGIN{printf \"%.1f\", $total/1e6}") million), at most ${seconds} s per target."
[ "$status" -eq 0 ] || echo "Findings: see build/fuzz/logs/ and build/fuzz/artifacts/." >&2
exit $status
