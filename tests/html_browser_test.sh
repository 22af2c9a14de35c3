#!/usr/bin/env bash
# Renders the HTML report of the bundled example in headless Chromium: the screenshot must show a
# page (many colours, a fair share of ink) and the DOM must hold every table and every plot.
# Usage: html_browser_test.sh KSAIL_BENCHSTAT SOURCE_DIR WORK_DIR
set -euo pipefail
exe=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"

command -v chromium >/dev/null || { echo "chromium is required by this test: apt-get install chromium" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is required by this test: apt-get install python3" >&2; exit 1; }

(cd "$src/testdata/ksail" && "$exe" -o "$work/report.html" before.txt after.txt)

# --no-sandbox: CI containers run as root; a profile of our own keeps parallel runs apart.
browse() {
    chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
        --user-data-dir="$work/profile" "$@" "file://$work/report.html" 2>"$work/chromium.log"
}
# (The page has no scripts to need: tests/render_html_test.cpp checks there is no <script>.)
browse --window-size=1200,900 --screenshot="$work/report.png" >/dev/null
[[ -s $work/report.png ]] || { echo "FAIL: chromium wrote no screenshot; see $work/chromium.log" >&2; exit 1; }
browse --dump-dom >"$work/dom.html"

count() { grep -o "$1" "$2" | wc -l; }
fail=0
expect() {  # expect WHAT ACTUAL EXPECTED
    if [[ $2 -ne $3 ]]; then echo "FAIL: $1: $2, expected $3" >&2; fail=1; else echo "ok: $1: $2"; fi
}
# The bundled example: 3 regressed, 5 improved and 12 significant-but-below-threshold rows get a
# plot each; those three sections and the added, removed, inconclusive and equivalent rows make
# seven tables.
expect "svg elements in the DOM" "$(count '<svg' "$work/dom.html")" 20
expect "svg elements in the file" "$(count '<svg' "$work/report.html")" 20
expect "tables in the DOM" "$(count '<table>' "$work/dom.html")" 7
expect "sample dots in the DOM" "$(count '<circle' "$work/dom.html")" "$(count '<circle' "$work/report.html")"
grep -q '<h1>📊 Benchmark comparison</h1>' "$work/dom.html" || { echo "FAIL: no heading in the DOM" >&2; fail=1; }

python3 "$src/tests/png_check.py" "$work/report.png" 50 2 || fail=1
exit $fail
