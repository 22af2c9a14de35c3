#!/usr/bin/env bash
# The action's install step: use ksail-benchstat from PATH if there is one, else build this
# checkout of the action (Debian/Ubuntu packages) and put it on PATH for the following steps.
set -euo pipefail
if command -v ksail-benchstat >/dev/null; then
    echo "using $(command -v ksail-benchstat): $(ksail-benchstat --version)"
    exit 0
fi
src=$(cd "$(dirname "$0")/.." && pwd)
build=${RUNNER_TEMP:-/tmp}/ksail-benchstat-build
sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    cmake ninja-build g++ libcli11-dev nlohmann-json3-dev libboost-math-dev libfmt-dev >/dev/null
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKSAIL_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target ksail-benchstat
echo "$build" >>"${GITHUB_PATH:-/dev/null}"
echo "built $("$build/ksail-benchstat" --version)"
