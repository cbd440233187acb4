#!/usr/bin/env bash
# Builds the libFuzzer harnesses (Fuzz/) and runs them. See docs/fuzzing.md.
#
#   tools/fuzz/run.sh [SECONDS] [HARNESS…]      fuzz each harness for SECONDS (default 600)
#   tools/fuzz/run.sh --replay [HARNESS…]       run Fuzz/Regressions/<h>/ and Fuzz/Corpus/<h>/ once, no fuzzing
#
# HARNESS is one of: safetensors idx cifar png jpeg runjson (default: all).
# Options (before the rest): --no-build (use the last build), --keep-going (fuzz on after a crash,
# collecting every crashing input; libFuzzer's fork mode).
# New corpus entries, crash artefacts and logs go to .fuzz-work/<harness>/ (ignored by git).
# Prints one line per harness; exits non-zero if any harness crashed, leaked, hung or ran out of memory.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

all=(safetensors idx cifar png jpeg runjson)
mode=fuzz build=1 keep_going=0 seconds=600
while [ $# -gt 0 ]; do
    case "$1" in
        --replay) mode=replay ;;
        --no-build) build=0 ;;
        --keep-going) keep_going=1 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) break ;;
    esac
    shift
done
if [ "$mode" = fuzz ] && [[ "${1:-}" =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=("${all[@]}")

# Executable and input-size limit of each harness. -max_len bounds what libFuzzer generates: a few
# times the largest seed, enough for every header field and a little payload.
executable() {
    case "$1" in
        safetensors) echo FuzzSafetensors ;; idx) echo FuzzIDX ;; cifar) echo FuzzCIFAR ;;
        png) echo FuzzPNG ;; jpeg) echo FuzzJPEG ;; runjson) echo FuzzRunJSON ;;
        *) return 1 ;;
    esac
}
max_len() {
    case "$1" in
        cifar) echo 16384 ;; png|jpeg) echo 8192 ;; *) echo 4096 ;;
    esac
}
for h in "${harnesses[@]}"; do
    executable "$h" >/dev/null || { echo "unknown harness '$h' (expected one of: ${all[*]})" >&2; exit 2; }
done

work=$root/.fuzz-work
build_path=$work/build
mkdir -p "$work"
if [ "$build" = 1 ]; then
    # SwiftPM hands swiftc one -sanitize= flag per sanitizer and swiftc keeps only the last, so the
    # Swift code would get ASan but no coverage; the -Xswiftc flag (placed after them) gives swiftc
    # both. --sanitize=fuzzer stays so that SwiftPM links libFuzzer's main instead of the target's.
    echo "building the fuzz harnesses (release, -sanitize=fuzzer,address)…"
    start=$(date +%s)
    if ! swift build -c release --package-path Fuzz --build-path "$build_path" \
        --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address >"$work/build.log" 2>&1; then
        tail -40 "$work/build.log"
        echo "fuzz build failed (full log: $work/build.log)" >&2
        exit 1
    fi
    echo "built in $(( $(date +%s) - start )) s"
fi
bin=$build_path/release

# Swift's own crash backtracer would take over the trap signal from libFuzzer (and can hang under ASan).
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0:handle_abort=1:symbolize=1:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$root/Fuzz/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
common=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048)

# Why a libFuzzer log ended badly, in a few words.
failure_kind() {
    local log=$1
    if grep -q "ERROR: LeakSanitizer" "$log"; then echo "leak"
    elif grep -q "ERROR: libFuzzer: timeout" "$log"; then echo "hang (>10 s)"
    elif grep -q "ERROR: libFuzzer: out-of-memory\|malloc(.*) exceeds limit\|allocation-size-too-big\|out of memory" "$log"; then echo "out of memory"
    elif grep -q "ERROR: AddressSanitizer" "$log"; then echo "$(grep -m1 -o 'ERROR: AddressSanitizer: [a-z-]*' "$log" | cut -d' ' -f3)"
    elif grep -q "Swift runtime failure" "$log"; then echo "trap ($(grep -m1 -o 'Swift runtime failure: [a-z ]*' "$log" | cut -d: -f2 | sed 's/^ //;s/ $//'))"
    elif grep -q "deadly signal" "$log"; then echo "crash (signal)"
    else echo "failed"
    fi
}
# Where it happened: the first stack frame in Fovea's or the harness's sources, else the first one
# outside the sanitizer, libFuzzer and Swift runtimes; demangled.
first_frame() {
    local frames frame
    frames=$(grep -E '^ *#[0-9]+ ' "$1" | grep -vE 'compiler-rt|llvm-project|libclang_rt|/libc\.so|libswiftCore\.so|<compiler-generated>')
    frame=$(echo "$frames" | grep -m1 -E '/(Sources|Fuzz/Sources)/')
    [ -n "$frame" ] || frame=$(echo "$frames" | head -1)
    [ -n "$frame" ] || { echo "?"; return; }
    echo "$frame" | sed -E 's/^ *#[0-9]+ 0x[0-9a-f]+ (in )?//; s/ \(BuildId.*//' | swift demangle --simplified | sed "s|$root/||g"
}

failed=0
for h in "${harnesses[@]}"; do
    exe=$bin/$(executable "$h")
    [ -x "$exe" ] || { echo "$h: FAILED, $exe is not built (drop --no-build)"; failed=1; continue; }
    dir=$work/$h
    mkdir -p "$dir/corpus" "$dir/artifacts"
    if [ "$mode" = replay ]; then
        n=0 bad=0
        for input in Fuzz/Regressions/"$h"/* Fuzz/Corpus/"$h"/*; do
            [ -f "$input" ] || continue
            n=$((n + 1))
            log=$dir/replay-$(basename "$input").log
            if "$exe" "${common[@]}" "$input" >"$log" 2>&1; then rm -f "$log"; else
                bad=$((bad + 1))
                echo "$h: FAILED on $input: $(failure_kind "$log") at $(first_frame "$log") (log: ${log#"$root"/})"
            fi
        done
        if [ $bad -eq 0 ]; then echo "$h: ok, $n inputs replayed"; else failed=1; fi
        continue
    fi
    args=("${common[@]}" -max_total_time="$seconds" -max_len="$(max_len "$h")" -print_final_stats=1
          -artifact_prefix="$dir/artifacts/")
    [ -f "Fuzz/Dictionaries/$h.dict" ] && args+=(-dict="Fuzz/Dictionaries/$h.dict")
    # Extra libFuzzer flags from the environment, e.g. FUZZ_ARGS="-jobs=4 -workers=4".
    args+=(${FUZZ_ARGS:-})
    [ "$keep_going" = 1 ] && args+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
    log=$dir/fuzz.log
    touch "$dir/started"  # artefacts newer than this are this run's; older ones stay for inspection
    # New inputs go to the first folder (scratch); the committed seeds are only read.
    "$exe" "${args[@]}" "$dir/corpus" "Fuzz/Corpus/$h" >"$log" 2>&1
    status=$?
    runs=$(grep -m1 -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    rate=$(grep -m1 -o 'average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
    cov=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]*' | tail -1)
    # Fork mode (--keep-going) prints no final stats: take the last progress line's count.
    [ -z "$runs" ] && runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    [ -z "$rate" ] && [ -n "$runs" ] && rate=$((runs / seconds))
    found=$(find "$dir/artifacts" -type f ! -name '*.log' -newer "$dir/started" | sort)
    crashes=$(echo -n "$found" | grep -c . || true)
    stats="${runs:-?} runs, ${rate:-?} exec/s, ${cov:-no coverage line}, $(ls "$dir/corpus" | wc -l) inputs in the scratch corpus"
    if [ $status -eq 0 ] && [ "$crashes" -eq 0 ]; then
        echo "$h: ok, ${seconds} s, $stats"
    else
        failed=1
        echo "$h: FAILED, $stats; $crashes input(s) in ${dir#"$root"/}/artifacts/, log ${log#"$root"/}"
        # Replay each artefact alone for its kind and place (fork mode keeps no stacks in the log),
        # then list each distinct problem once, with how many inputs hit it and one of them.
        while IFS= read -r input; do
            "$exe" "${common[@]}" "$input" >"$input.log" 2>&1 && { echo "does not reproduce alone	$input"; continue; }
            echo "$(failure_kind "$input.log") at $(first_frame "$input.log")	$input"
        done <<<"$found" | sort -t '	' -k1,1 | awk -F '\t' -v root="$root/" '
            { sub(root, "", $2); if ($1 != last) { if (n) printf "    %dx %s, e.g. %s\n", n, last, example; last = $1; n = 0; example = $2 } n++ }
            END { if (n) printf "    %dx %s, e.g. %s\n", n, last, example }' 
    fi
done
exit $failed
