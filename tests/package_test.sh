#!/usr/bin/env bash
# `cpack` builds a .deb: its control file depends on the C library only (the executable carries the
# C++ runtime and fmt, see KSAIL_STATIC_RUNTIME), its files go under /usr, and the unpacked binary runs.
# Usage: package_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"

(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >cpack.log 2>&1) \
    || { cat "$work/cpack.log" >&2; exit 1; }
deb=$(ls "$work"/ksail-benchstat_*.deb)
echo "built $(basename "$deb")"

fail=0
info=$(dpkg-deb -I "$deb")
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
has_dep() { [[ ", $depends," == *", $1 "* || ", $depends," == *", $1,"* ]]; }
has_dep libc6 || { echo "FAIL: Depends lacks libc6" >&2; fail=1; }
for pkg in libstdc++6 libgcc-s1 libfmt9; do
    ! has_dep "$pkg" || { echo "FAIL: Depends names $pkg, which the executable carries" >&2; fail=1; }
done
[[ $(dpkg-deb -f "$deb" Package) == ksail-benchstat ]] || { echo "FAIL: wrong package name" >&2; fail=1; }
[[ $(dpkg-deb -f "$deb" Architecture) == "$(dpkg --print-architecture)" ]] || { echo "FAIL: wrong architecture" >&2; fail=1; }
grep -q '^ Description: compare benchmark results' <<<"$info" || { echo "FAIL: no description" >&2; fail=1; }

contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/ksail-benchstat ./usr/share/man/man1/ksail-benchstat.1 \
         ./usr/share/bash-completion/completions/ksail-benchstat ./usr/share/doc/ksail-benchstat/copyright \
         ./usr/share/doc/ksail-benchstat/docs/getting-started.md; do
    grep -qxF "$f" <<<"$contents" || { echo "FAIL: the package lacks $f" >&2; fail=1; }
done
outside=$(grep -v -e '^\./usr/' -e '^\./$' <<<"$contents" || true)
[[ -z $outside ]] || { echo "FAIL: files outside /usr: $outside" >&2; fail=1; }

# Unpack (as dpkg would, without installing) and run the packaged binary.
dpkg-deb -x "$deb" "$work/root"
version=$("$work/root/usr/bin/ksail-benchstat" --version)
[[ $version == "ksail-benchstat $(dpkg-deb -f "$deb" Version)" ]] \
    || { echo "FAIL: packaged binary says '$version', package version $(dpkg-deb -f "$deb" Version)" >&2; fail=1; }
(cd "$src/testdata/ksail" && "$work/root/usr/bin/ksail-benchstat" --format csv before.txt after.txt >"$work/out.csv")
cmp -s "$work/out.csv" "$src/testdata/golden/ksail-csv.stdout" \
    || { echo "FAIL: the packaged binary's CSV differs from the golden output" >&2; fail=1; }
exit $fail
