#!/usr/bin/env bash
# Measures what the README's Performance section quotes, warm (binaries already in
# the cache), in one run, the measurements taken in turn round after round so a
# change in the machine's load hits them all alike:
#   - our harness, rust→rust, and upstream's bash harness (moq-dev/smoke's smoke.sh)
#     on the same moq-relay and moq binaries when --upstream names a checkout of it;
#   - each cell of the matrix alone, and the whole matrix in one run;
#   - for our runs, the harness's own cost: process start to the first publisher's first
#     log line (the relay up and checked), plus last subscriber output to process exit
#     (from file times);
#   - peak resident memory of the harness JVM and of the whole process tree, from runs of
#     their own: sampling /proc costs CPU that a 2-core machine would take from a timed run.
# Not a test: it prints medians (min–max) and ratios, and judges nothing.
#
# Usage: bench/bench.sh [-n RUNS] [--upstream DIR] [--channel C] [--no-matrix]
#                       [--publishers LIST] [--subscribers LIST] [-- EXTRA SMOKE ARGS]
# --no-matrix: only rust→rust (ours, and upstream's when given). EXTRA SMOKE ARGS go
# to every run of ours, e.g. -- --gop 200ms.
# Upstream's smoke.sh needs ffmpeg on PATH (it encodes its own test source).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
upstream=""
channel=cargo
publishers=rust,python
subscribers=rust,python,c,gst
extra=()
matrix_too=1
usage() {
    echo "bench: $1 (see --help)" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
        -n | --upstream | --channel | --publishers | --subscribers) [ $# -ge 2 ] || usage "$1 needs a value" ;;
    esac
    case "$1" in
        -n) runs=$2; shift 2 ;;
        --upstream) upstream=$(cd "$2" 2>/dev/null && pwd) || usage "--upstream: no directory $2"; shift 2 ;;
        --channel) channel=$2; shift 2 ;;
        --no-matrix) matrix_too=""; shift ;;
        --publishers) publishers=$2; shift 2 ;;
        --subscribers) subscribers=$2; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        -h | --help) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0"; exit 0 ;;
        *) usage "unknown argument $1" ;;
    esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || usage "-n takes a number of rounds, 1 or more, not '$runs'"
if [ -n "$upstream" ] && [ ! -x "$upstream/smoke.sh" ]; then
    echo "bench: no executable smoke.sh in $upstream" >&2
    exit 2
fi
if [ -n "$upstream" ] && ! command -v ffmpeg >/dev/null 2>&1; then
    echo "bench: upstream's smoke.sh needs ffmpeg on PATH" >&2
    exit 2
fi
bin="${MOQ_SMOKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/moq-smoke}/cargo/bin"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
results="$scratch/results"
: >"$results"

# One run of ours: --time or --memory, LABEL, then smoke.java's arguments. A timed run records
# wall, exit and the harness's own start-up and teardown seconds; a memory run, exit and
# peak memory (its wall is left out: the sampling slowed it).
ours() {
    local mode=$1 label=$2 out="$scratch/out-$RANDOM$RANDOM" line wall code tree jvm started ended ready last
    shift 2
    line=$(python3 bench/measure.py "$mode" "$scratch/$label.log" -- ./jbang smoke.java --channel "$channel" "$@" \
        ${extra[@]+"${extra[@]}"} --out "$out")
    read -r wall code tree jvm started ended <<<"$line"
    if [ "$mode" = --memory ]; then
        printf '%s - %s %s %s - -\n' "$label" "$code" "$tree" "$jvm" >>"$results"
        keep_if_failed "$label" "$code" "$out"
        return
    fi
    # Ready for the cells: the first publisher's first log line. Not the relay's listening
    # line: the relay an earlier run installed starts before the always-latest check ends,
    # and no cell may use it until then. Only a line that starts with its time counts: a
    # client's own first line ("transport: quic") has none, and then there is no measure.
    ready=$(find "$out/publishers" -name publisher.log -exec head -qn1 {} + 2>/dev/null | cut -d' ' -f1 |
        grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z?$' | sort | head -1 || true)
    last=$(find "$out/cells" -name 'subscriber.*' -exec stat -c '%.3Y' {} + 2>/dev/null | sort -n | tail -1 || true)
    if [ -n "$ready" ] && [ -n "$last" ]; then
        ready=$(date -d "$ready" +%s.%N)
        printf '%s %s %s %s %s %s %s\n' "$label" "$wall" "$code" "$tree" "$jvm" \
            "$(awk -v a="$ready" -v b="$started" 'BEGIN {printf "%.3f", a - b}')" \
            "$(awk -v a="$ended" -v b="$last" 'BEGIN {printf "%.3f", a - b}')" >>"$results"
    else
        printf '%s %s %s %s %s - -\n' "$label" "$wall" "$code" "$tree" "$jvm" >>"$results"
    fi
    keep_if_failed "$label" "$code" "$out"
}

# A run that did not pass keeps its reports and logs: the reason is worth more than the time.
keep_if_failed() {
    local label=$1 code=$2 out=$3 kept
    if [ "$code" = 0 ]; then
        rm -rf "$out"
        return
    fi
    kept=$(mktemp -d "${TMPDIR:-/tmp}/bench-kept-XXXXXX")
    mv "$out" "$kept/" 2>/dev/null || true
    echo "bench: $label exited $code; its reports and logs: $kept/${out##*/}" >&2
}

# One run of upstream's smoke.sh, rust→rust, on our cached binaries and a port of its own:
# --time or --memory, as for ours.
theirs() {
    local mode=$1 line wall code tree jvm started ended
    line=$(cd "$upstream" && RELAY_BIN="$bin/moq-relay" MOQ_BIN="$bin/moq" SMOKE_PORT=$((20000 + RANDOM % 20000)) \
        python3 "$OLDPWD/bench/measure.py" "$mode" "$scratch/upstream.log" -- ./smoke.sh --publishers rust --subscribers rust)
    read -r wall code tree jvm started ended <<<"$line"
    [ "$mode" = --memory ] && wall=-
    printf 'upstream:rust→rust %s %s %s - - -\n' "$wall" "$code" "$tree" >>"$results"
}

IFS=, read -r -a pubs <<<"$publishers"
IFS=, read -r -a subs <<<"$subscribers"
echo "bench: $runs rounds, $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
./jbang build smoke.java >/dev/null 2>&1
# Warm-up, not counted: builds, client installs, and the class-data archive (the first
# run after a build lists the classes it loads, the next dumps the archive from that list).
ours --time warmup --publishers rust --subscribers rust
ours --time warmup --publishers rust --subscribers rust
[ -z "$matrix_too" ] || ours --time warmup --publishers "$publishers" --subscribers "$subscribers"
[ -z "$upstream" ] || theirs --time
: >"$results"
for round in $(seq "$runs"); do
    echo "bench: round $round of $runs (load $(cut -d' ' -f1 /proc/loadavg))"
    # Each measurement timed, then sampled for memory in a run of its own.
    for mode in --time --memory; do
        ours "$mode" "ours:rust→rust" --publishers rust --subscribers rust
        [ -z "$upstream" ] || theirs "$mode"
        [ -n "$matrix_too" ] || continue
        for p in "${pubs[@]}"; do
            for s in "${subs[@]}"; do ours "$mode" "cell:$p→$s" --publishers "$p" --subscribers "$s"; done
        done
        ours "$mode" "matrix:${#pubs[@]}x${#subs[@]}" --publishers "$publishers" --subscribers "$subscribers"
    done
done
echo "bench: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# Median (min–max) of column $2 for label $1, with $3 decimals (default 2).
stat_of() {
    awk -v label="$1" -v col="$2" '$1 == label && $col != "-" {print $col}' "$results" | sort -n |
        awk -v d="${3:-2}" '{v[NR] = $1} END {f = "%." d "f"; if (NR) printf f " (" f "–" f ")", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR]; else printf "-"}'
}
median_of() {
    stat_of "$1" "$2" | cut -d' ' -f1
}

echo
echo "median (min–max) of $runs runs (the memory columns: of $runs other runs, sampled); a Markdown table"
echo "| run | wall s | exit codes | start→first publisher s | last subscriber output→exit s | process tree peak MiB | JVM peak MiB |"
echo "|---|---|---|---|---|---|---|"
cut -d' ' -f1 "$results" | awk '!seen[$0]++' | while read -r label; do
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(stat_of "$label" 2)" \
        "$(awk -v l="$label" '$1 == l {print $3}' "$results" | sort -u | paste -sd, -)" \
        "$(stat_of "$label" 6)" "$(stat_of "$label" 7)" "$(stat_of "$label" 4 0)" "$(stat_of "$label" 5 0)"
done
echo
ours_rr=$(median_of "ours:rust→rust" 2)
awk -v l="ours:rust→rust" '$1 == l && $6 != "-" {print $6 + $7}' "$results" | sort -n |
    awk '{v[NR] = $1} END {if (NR) printf "harness overhead (start→first publisher + last output→exit), ours rust→rust: median %.2f s\n", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'
if [ -n "$upstream" ]; then
    # Ratio pair by pair (round i of ours against round i of theirs), then the median.
    paste <(awk '$1 == "ours:rust→rust" && $2 != "-" {print $2}' "$results") \
        <(awk '$1 == "upstream:rust→rust" && $2 != "-" {print $2}' "$results") |
        awk '{print $1 / $2}' | sort -n |
        awk -v o="$ours_rr" -v t="$(median_of "upstream:rust→rust" 2)" '{v[NR] = $1} END {printf "rust→rust wall, ours / upstream: median of pairwise ratios %.2f (ours %s s, upstream %s s)\n", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), o, t}'
fi
[ -n "$matrix_too" ] || exit 0
sum=0
slowest=0
for p in "${pubs[@]}"; do
    for s in "${subs[@]}"; do
        m=$(median_of "cell:$p→$s" 2)
        [ "$m" = "-" ] && continue
        sum=$(awk -v a="$sum" -v b="$m" 'BEGIN {print a + b}')
        slowest=$(awk -v a="$slowest" -v b="$m" 'BEGIN {print (b > a ? b : a)}')
    done
done
matrix=$(median_of "matrix:${#pubs[@]}x${#subs[@]}" 2)
echo "cells alone: sum of medians $sum s, slowest $slowest s; full matrix $matrix s = $(awk -v m="$matrix" -v s="$slowest" 'BEGIN {printf "%.2f", m / s}') × the slowest cell, $(awk -v m="$matrix" -v s="$sum" 'BEGIN {printf "%.2f", m / s}') × the sum"
