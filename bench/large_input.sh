#!/usr/bin/env bash
# Peak memory and time on large inputs: generates a deterministic pair of Go benchmark text files
# of SIZE_MB megabytes each (default 100; try 1024 for the 1 GB case), compares them with the
# release build and prints wall time and peak RSS. A measurement, not a test: nothing is asserted.
# Usage: bench/large_input.sh [SIZE_MB] [TOOL]   (TOOL defaults to build/ksail-benchstat)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-100}
tool=${2:-build/ksail-benchstat}
work=${TMPDIR:-/tmp}/ksail-large-input
mkdir -p "$work"

# Lines like the KSail files: 200 benchmarks x 3 metrics, values from a fixed linear congruential
# generator (same seed → same bytes on every machine), the contender 5% slower on even benchmarks.
generate() {  # generate FILE SEED SLOWDOWN
  awk -v target=$((size_mb * 1024 * 1024)) -v seed="$2" -v slow="$3" 'BEGIN {
    print "goos: linux"; print "goarch: amd64"; print "pkg: example.com/large"
    print "cpu: Deterministic CPU @ 2.00GHz"
    bytes = 0; s = seed; line = 0
    while (bytes < target) {
      b = line % 200
      s = (s * 1103515245 + 12345) % 2147483648
      ns = (1000 + b * 37) * (1 + (s % 1000) / 20000.0) * (b % 2 == 0 ? slow : 1)
      row = sprintf("BenchmarkLarge/case_%03d-8 \t%8d\t%12.1f ns/op\t%6d B/op\t%4d allocs/op", b, 100000, ns, 64 + b, 2 + b % 5)
      print row; bytes += length(row) + 1; line++
    }
  }' > "$1"
}
# Beyond 100 MB the file is the 100 MB chunk repeated (each copy repeats the header, which the
# format allows), which keeps generation at disk speed.
make_input() {  # make_input FILE SEED SLOWDOWN
  if [ "$size_mb" -le 100 ]; then
    generate "$1" "$2" "$3"
    return
  fi
  local chunk="$work/chunk-$2.txt"
  [ -s "$chunk" ] || (size_mb=100 generate "$chunk" "$2" "$3")
  : > "$1"
  for ((i = 0; i < (size_mb + 99) / 100; i++)); do cat "$chunk" >> "$1"; done
}
old="$work/old-${size_mb}MB.txt"
new="$work/new-${size_mb}MB.txt"
[ -s "$old" ] || make_input "$old" 1 1
[ -s "$new" ] || make_input "$new" 2 1.05
ls -l "$old" "$new" | awk '{print $5, $9}'
/usr/bin/time -f "wall %e s, peak RSS %M KB" "$tool" --format json -o "$work/report.json" "$old" "$new"
echo "report: $(wc -c < "$work/report.json") bytes, sha256 $(sha256sum < "$work/report.json" | cut -c1-16)"
