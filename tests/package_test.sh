#!/usr/bin/env bash
# `cpack` builds a .deb: the statically linked executable (KSAIL_STATIC_RUNTIME, the default) needs
# no shared library package, its files go under /usr, and the unpacked binary runs.
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
if file -L "$build/ksail-benchstat" | grep -q 'statically linked'; then
    [[ -z $depends ]] || { echo "FAIL: a static executable should depend on nothing, got: $depends" >&2; fail=1; }
else
    # A build with KSAIL_STATIC_RUNTIME=OFF: the shared libraries it links come from Debian packages.
    for pkg in libc6 libstdc++6 libfmt9; do
        [[ ", $depends," == *", $pkg "* || ", $depends," == *", $pkg,"* ]] \
            || { echo "FAIL: Depends lacks $pkg" >&2; fail=1; }
    done
fi
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
