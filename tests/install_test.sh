#!/usr/bin/env bash
# `cmake --install` into a temporary prefix: the binary, manual page, completions and docs land in
# the standard places, and the installed binary runs a comparison.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" >"$work/install.log"

fail=0
for f in bin/ksail-benchstat share/man/man1/ksail-benchstat.1 \
         share/bash-completion/completions/ksail-benchstat share/zsh/vendor-completions/_ksail-benchstat \
         share/doc/ksail-benchstat/README.md share/doc/ksail-benchstat/copyright \
         share/doc/ksail-benchstat/docs/ci.md share/doc/ksail-benchstat/docs/getting-started.md \
         share/doc/ksail-benchstat/docs/images/html-report.png; do
    [[ -e $prefix/$f ]] || { echo "FAIL: $f was not installed" >&2; fail=1; }
done
[[ -x $prefix/bin/ksail-benchstat ]] || { echo "FAIL: the binary is not executable" >&2; fail=1; }

version=$("$prefix/bin/ksail-benchstat" --version)
[[ $version =~ ^ksail-benchstat\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "FAIL: --version printed '$version'" >&2; fail=1; }

# A comparison from the installed binary, outside the source tree.
cp "$src/testdata/ksail/before.txt" "$src/testdata/ksail/after.txt" "$work/"
status=0
(cd "$work" && "$prefix/bin/ksail-benchstat" --fail-on-regression before.txt after.txt >out.txt 2>err.txt) || status=$?
[[ $status -eq 1 ]] || { echo "FAIL: the gate exited $status on the bundled regression, expected 1" >&2; fail=1; }
grep -q 'ComputeDiff_NoChanges-4 .*+183.28%' "$work/out.txt" || { echo "FAIL: the comparison lacks the known regression" >&2; fail=1; }

# The installed page formats (groff is what man uses; the gtest ManPage suite checks warnings).
page=$(groff -man -Tutf8 "$prefix/share/man/man1/ksail-benchstat.1" 2>/dev/null | sed 's/.\x08//g' || true)
[[ $page == *"compare benchmark results"* && $page == *"EXIT STATUS"* ]] \
    || { echo "FAIL: the installed manual page does not format" >&2; fail=1; }
[[ $fail -eq 0 ]] && echo "ok: installed into $prefix and ran $version"
exit $fail
