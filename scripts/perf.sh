#!/usr/bin/env bash
# Runs the performance measurements and writes docs/performance.md:
#  1. the in-repo benches: `cargo bench -p vplc --bench pipeline` (figures parsed from its output);
#  2. the peer comparison in bench/peers (its own Cargo workspace, release build): the equivalence
#     gate of VPL, Cedar and Rego over generated cases, then the timing sweep.
# Nothing is hard-coded: every figure on the page comes from this run.
#
# Usage: scripts/perf.sh [--quick] [extra vpl-peers options, e.g. --budget-ms 2000]
#   --quick: fewer cases and shorter budgets, for trying the script out (the page says so).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

args=()
for a in "$@"; do
    if [ "$a" = "--quick" ]; then
        args+=(--gate-cases 2000 --time-cases 200 --budget-ms 200)
        export VPL_E2E_MB="${VPL_E2E_MB:-20}" VPL_E2E_LARGE_MB="${VPL_E2E_LARGE_MB:-50}" VPL_E2E_RUNS="${VPL_E2E_RUNS:-1}"
    else
        args+=("$a")
    fi
done

echo "== cargo bench -p vplc --bench pipeline" >&2
cargo bench -q -p vplc --bench pipeline 2>"$tmp/bench.err" | tee "$tmp/pipeline.txt" >&2 || {
    cat "$tmp/bench.err" >&2
    echo "pipeline bench failed" >&2
    exit 2
}
# The real binary on generated JSON Lines: one and two cores, peak memory at 10 MB and the large
# size (VPL_E2E_MB, VPL_E2E_LARGE_MB, VPL_E2E_RUNS; --quick makes them small).
echo "== cargo bench -p vplc --bench pipeline -- e2e" >&2
cargo bench -q -p vplc --bench pipeline -- e2e 2>"$tmp/bench.err" | grep -v '^benchmark ' | tee -a "$tmp/pipeline.txt" >&2 || {
    cat "$tmp/bench.err" >&2
    echo "end-to-end bench failed" >&2
    exit 2
}

echo "== bench/peers: build (release)" >&2
(cd bench/peers && cargo build --release -q)

echo "== bench/peers: gate and timing" >&2
bench/peers/target/release/vpl-peers "${args[@]}" report --pipeline "$tmp/pipeline.txt" --out docs/performance.md
