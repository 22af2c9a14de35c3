#!/usr/bin/env bash
# Runs each libFuzzer target in turn for SECONDS (default 600) on one core, starting from the
# committed corpus in testdata/fuzz/<target>/. New inputs go to build/fuzz/corpus/<target>/,
# crashes to build/fuzz/artifacts/<target>/, logs to build/fuzz/logs/. Usage:
#   cmake --preset fuzz && cmake --build --preset fuzz && fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(go_text go_test_json gbench_json cli pipeline)
out=build/fuzz
mkdir -p "$out/logs"
for t in "${targets[@]}"; do
  mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
  echo "== $t for ${seconds}s"
  # fork mode with ignore_* keeps going after a crash, so one run finds every distinct failure.
  "$out/fuzz/fuzz_$t" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$out/artifacts/$t/" -print_final_stats=1 \
      "$out/corpus/$t" "testdata/fuzz/$t" >"$out/logs/$t.log" 2>&1 || true
  tail -n 3 "$out/logs/$t.log"
  echo "crashes: $(ls "$out/artifacts/$t" | wc -l)"
done
