#!/usr/bin/env bash
# The bash completion: options come from --help, --format completes the formats --help lists, and
# file arguments complete file names. The zsh completion must at least parse.
# Usage: completion_test.sh KSAIL_BENCHSTAT SOURCE_DIR
set -euo pipefail
exe=$1 src=$2
source "$src/completions/ksail-benchstat.bash"

complete_words() {  # complete_words WORD... : completes the last word
    COMP_WORDS=("$exe" "$@")
    COMP_CWORD=$#
    COMPREPLY=()
    _ksail_benchstat
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
fail=0
check() {  # check WHAT ACTUAL EXPECTED
    if [[ $2 != "$3" ]]; then printf 'FAIL: %s\n got: %s\n expected: %s\n' "$1" "$2" "$3" >&2; fail=1; else echo "ok: $1"; fi
}

help=$("$exe" --help)
every_option=$(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$help" | sort -u)
check "every long option of --help" "$(complete_words --)" "$every_option"
check "options by prefix" "$(complete_words --fail-on)" $'--fail-on-inconclusive\n--fail-on-regression'
formats=$(grep -oE 'Output format: [a-z, ]+' <<<"$help" | sed 's/Output format: //; s/, /\n/g; s/ *$//' | sort)
check "formats of --help" "$(complete_words --format '')" "$formats"
check "formats by prefix" "$(complete_words --format h)" "html"
check "--format=VALUE" "$(complete_words --format = m)" "markdown"
check "colour modes" "$(complete_words --color '')" "$(printf 'always\nauto\nnever')"
cd "$src/testdata/ksail"
check "file names" "$(complete_words bef)" "before.txt"
check "output file names" "$(complete_words -o aft)" "after.txt"

command -v zsh >/dev/null || { echo "zsh is required by this test: apt-get install zsh" >&2; exit 1; }
if zsh -n "$src/completions/_ksail-benchstat"; then echo "ok: zsh completion parses"; else fail=1; fi
exit $fail
