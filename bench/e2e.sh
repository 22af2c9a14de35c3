#!/usr/bin/env bash
# End-to-end performance benchmark: generates deterministic inputs, then times ksail-benchstat,
# `wc -l` on the same files and, when installed, Go's benchstat and Google Benchmark's compare.py,
# several runs each, side by side. Prints medians and ratios. A benchmark, not a test.
#
# usage: bench/e2e.sh [BUILD_DIR] [SCALE] [RUNS]
#   BUILD_DIR  a build with -DKSAIL_BUILD_BENCH=ON (default: build-bench; `make bench` makes it)
#   SCALE      1 = the sizes of the performance goals (100 MB Go text, 50 MB Google Benchmark JSON,
#              20 MB go test -json per file); 0.01 for a quick smoke run (default 1)
#   RUNS       timed runs per command; the median is reported (default 5)
set -euo pipefail
export LC_ALL=C  # a decimal point in the clock's readings and in awk

build=${1:-build-bench}
scale=${2:-1}
runs=${3:-5}
tool=$build/ksail-benchstat
gen=$build/bench/gen_inputs
[[ -x $tool && -x $gen ]] || { echo "build $build first: make bench" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ksail-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT

mb() { awk -v s="$scale" -v m="$1" 'BEGIN { printf "%g", s * m }'; }
for side in before after; do
    "$gen" go-text "$(mb 100)" $side > "$work/go-$side.txt"
    "$gen" gbench-json "$(mb 50)" $side > "$work/gb-$side.json"
    "$gen" go-test-json "$(mb 20)" $side > "$work/gtj-$side.json"
    # The same Go text without its pkg: lines: one table per unit instead of one per package and
    # unit, as a single large package (or a generator writing one header) makes. Its tables of
    # tens of thousands of rows stress memory differently.
    grep -v '^pkg:' "$work/go-$side.txt" > "$work/go1-$side.txt" || true
done
# Every pair must compare cleanly (exit 0; 1 would be a failed gate): timing an error measures nothing.
for pair in "go-before.txt go-after.txt" "go1-before.txt go1-after.txt" "gb-before.json gb-after.json" \
    "gtj-before.json gtj-after.json"; do
    read -r a b <<< "$pair"
    status=0
    "$tool" "$work/$a" "$work/$b" > /dev/null 2> "$work/stderr" || status=$?
    if ((status > 1)); then
        echo "ksail-benchstat failed on $a $b (exit $status):" >&2
        cat "$work/stderr" >&2
        exit 1
    fi
done

# Wall seconds of one run, on bash's microsecond clock around the bare command (GNU time's clock
# has 10 ms steps, and its own start-up would weigh on a `wc -l` of 20 ms).
wall() {
    local start end
    start=$EPOCHREALTIME
    "$@" > /dev/null 2> /dev/null || true
    end=$EPOCHREALTIME
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f\n", b - a }'
}
# Peak RSS (KB) of one run, from GNU time when present, else 0.
peak_kb() {
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f "%M" -o "$work/t" "$@" > /dev/null 2> /dev/null || true
        tail -1 "$work/t"
    else
        echo 0
    fi
}
# Median wall seconds and median peak RSS of RUNS runs, interleaved with the reference command so
# that both see the same machine load: prints "tool_s tool_kb ref_s". The reference is run as it
# is, not through a shell, whose start-up would count against it. With PAUSE set (seconds), each
# timed run of the tool comes that long after the previous command ended.
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
pause=0
side_by_side() {
    local ref_command
    read -r -a ref_command <<< "$1"
    shift
    local ts=() ks=() rs=()
    for ((i = 0; i < runs; i++)); do
        if [[ $pause != 0 ]]; then sleep "$pause"; fi
        ts+=("$(wall "$@")")
        rs+=("$(wall "${ref_command[@]}")")
        ks+=("$(peak_kb "$@")")
    done
    echo "$(median "${ts[@]}") $(median "${ks[@]}") $(median "${rs[@]}")"
}
report() {  # name goal_ratio tool_s tool_kb ref_s
    awk -v n="$1" -v g="$2" -v t="$3" -v k="$4" -v r="$5" 'BEGIN {
        ratio = r > 0 ? t / r : 0
        goal = g == "-" ? "(a peer)" : "goal <= " g "x"
        printf "%-34s %8.3f s %8.1f MB   wc -l %7.3f s   ratio %6.1fx   %s\n", n, t, k / 1024, r, ratio, goal }'
}

echo "inputs: $(du -sh "$work" | cut -f1) in $work (scale $scale, $runs runs each, medians)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
wc_go="wc -l $work/go-before.txt $work/go-after.txt"
report "go text pair, text" 4 $(side_by_side "$wc_go" "$tool" "$work/go-before.txt" "$work/go-after.txt")
for format in markdown csv json; do
    report "go text pair, $format" 4 $(side_by_side "$wc_go" "$tool" --format $format "$work/go-before.txt" "$work/go-after.txt")
done
# The same pair after a pause. Runs in a row reuse the memory the previous run gave back; a user's
# single run after a pause may not. On some virtual machines the host takes back memory the guest
# has left free for a second or so, and the next program to touch it pays for it again, well over
# a millisecond per megabyte (bench/fresh_memory measures it). At most three runs: each waits.
saved_runs=$runs
pause=3
runs=$((runs < 3 ? runs : 3))
report "go text pair, text, after 3 s idle" 4 $(side_by_side "$wc_go" "$tool" "$work/go-before.txt" "$work/go-after.txt")
pause=0
runs=$saved_runs
wc_go1="wc -l $work/go1-before.txt $work/go1-after.txt"
for format in text json; do
    report "go text, no pkg: lines, $format" 4 $(side_by_side "$wc_go1" "$tool" --format $format "$work/go1-before.txt" "$work/go1-after.txt")
done
report "google benchmark pair" 10 $(side_by_side "wc -l $work/gb-before.json $work/gb-after.json" "$tool" "$work/gb-before.json" "$work/gb-after.json")
report "go test -json pair" 6 $(side_by_side "wc -l $work/gtj-before.json $work/gtj-after.json" "$tool" "$work/gtj-before.json" "$work/gtj-after.json")

# Start-up: a tiny pair against /bin/true, 50 runs each, interleaved.
here=$(cd "$(dirname "$0")/.." && pwd)
tiny_a=$here/testdata/benchstat/old.txt
tiny_b=$here/testdata/benchstat/new.txt
start=$(awk -v r=50 'BEGIN{print r}')
t0=$(date +%s%N); for ((i = 0; i < start; i++)); do "$tool" "$tiny_a" "$tiny_b" > /dev/null; done; t1=$(date +%s%N)
for ((i = 0; i < start; i++)); do /bin/true; done; t2=$(date +%s%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$start" 'BEGIN {
    tool = (b - a) / n / 1e6; base = (c - b) / n / 1e6
    printf "%-34s %8.2f ms   /bin/true %6.2f ms   difference %6.2f ms   goal <= 3 ms\n", "tiny pair (start-up)", tool, base, tool - base }'

# Shapes that once took time growing with the square of something, each measured on its own (no
# reference command): a monorepo of many small packages whose benchmark names repeat in every
# package (markdown named each package by comparing it with every other), a noisy suite whose rows
# need hundreds of samples to settle (detectability tried each count in turn), and benchmarks of
# 200 runs each (each statistic of the change's interval made all 40,000 differences anew).
for side in before after; do
    "$gen" go-text "$(mb 13)" $side 6 2 > "$work/mono-$side.txt"
    "$gen" go-text "$(mb 10)" $side 10 0 0.3 > "$work/noisy-$side.txt"
    "$gen" go-text "$(mb 10)" $side 200 > "$work/runs200-$side.txt"
done
alone() {  # name format pair-prefix: median wall seconds and peak RSS of RUNS runs
    local ts=() ks=()
    for ((i = 0; i < runs; i++)); do
        ts+=("$(wall "$tool" --format "$2" "$work/$3-before.txt" "$work/$3-after.txt")")
        ks+=("$(peak_kb "$tool" --format "$2" "$work/$3-before.txt" "$work/$3-after.txt")")
    done
    awk -v n="$1" -v f="$2" -v t="$(median "${ts[@]}")" -v k="$(median "${ks[@]}")" \
        'BEGIN { printf "%-34s %8.3f s %8.1f MB\n", n ", " f, t, k / 1024 }'
}
for format in text markdown json; do
    alone "monorepo, $(grep -c '^pkg:' "$work/mono-before.txt") packages" $format mono
done
for format in text json; do alone "noisy suite (spread 0.3)" $format noisy; done
for format in text json; do alone "200 runs per benchmark" $format runs200; done

# Peers, when installed, on the same files.
if command -v benchstat > /dev/null; then
    report "Go benchstat, go text pair" - $(side_by_side "$wc_go" benchstat "$work/go-before.txt" "$work/go-after.txt")
fi
# compare.py (Debian: libbenchmark-tools, which installs it in /usr/share/benchmark, and
# python3-scipy) takes minutes on the full-size pair, so it gets one run (and one more for its
# peak memory).
python_with_scipy=""
for python in python3 /usr/bin/python3; do
    if command -v "$python" > /dev/null && "$python" -c 'import scipy' 2> /dev/null; then
        python_with_scipy=$(command -v "$python")
        break
    fi
done
for cmp in /usr/share/benchmark/compare.py /usr/share/benchmark/tools/compare.py \
    /usr/lib/python3/dist-packages/benchmark/tools/compare.py; do
    if [[ -f $cmp && -n $python_with_scipy ]]; then
        runs=1
        report "compare.py, google benchmark pair" - $(side_by_side "wc -l $work/gb-before.json $work/gb-after.json" "$python_with_scipy" "$cmp" benchmarks "$work/gb-before.json" "$work/gb-after.json")
        break
    fi
done
