#!/usr/bin/env bash
# Measures what the README's figures say: wall time and peak memory of the
# harness, warm (binaries already in the cache). Not a test: it prints numbers.
# Usage: bench/bench.sh [RUNS]   (default 5; needs GNU time)
# BENCH_CLIENTS=1 adds the language and browser matrices (each run installs the
# clients' packages afresh, so they take minutes, not seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

measure() {
    local label=$1
    shift
    local walls=() rss=() codes=()
    for i in $(seq "$runs"); do
        local code=0
        /usr/bin/time -f '%e %M' -o "$scratch/time" "$@" --out "$scratch/out-$label-$i" >"$scratch/log-$label-$i" 2>&1 || code=$?
        read -r wall kib <"$scratch/time"
        walls+=("$wall")
        rss+=("$kib")
        codes+=("$code")
    done
    printf '%-28s runs=%s exit=%s wall s: %s  peak RSS MiB (largest single process): %s\n' "$label" "$runs" \
        "$(printf '%s ' "${codes[@]}" | xargs)" "$(stats "${walls[@]}")" \
        "$(stats "$(for k in "${rss[@]}"; do echo $((k / 1024)); done)")"
}

stats() {
    printf '%s\n' "$@" | tr ' ' '\n' | sort -n | awk '{v[NR]=$1; s+=$1} END {printf "min %.1f median %.1f max %.1f", v[1], v[int((NR+1)/2)], v[NR]}'
}

./jbang build smoke.java >/dev/null 2>&1
measure "rust→rust (cargo, warm)" ./jbang smoke.java --channel cargo
measure "negative (timeout 5)" ./jbang smoke.java --channel cargo --negative --timeout 5
if [ -n "${BENCH_CLIENTS:-}" ]; then
    measure "rust,python × +js-native (ws)" ./jbang smoke.java --channel cargo --publishers rust,python \
        --subscribers rust,python,js-native-node,js-native-bun --transport websocket
    measure "browser 4×4" ./jbang smoke.java --channel cargo --publishers rust,python,js-vite,js-esbuild \
        --subscribers rust,python,js-vite,js-esbuild --timeout 40
fi
