#!/usr/bin/env bash
# The GitHub Action's scripts, run as the runner would run them, with a stand-in for `gh` that
# records its calls: compare writes the summary, the report and the outputs; comment updates the
# comment carrying the marker, or creates one.
# Usage: action_test.sh KSAIL_BENCHSTAT SOURCE_DIR WORK_DIR
set -euo pipefail
exe=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work/bin"
ln -s "$exe" "$work/bin/ksail-benchstat"
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1" >&2; fail=1; else echo "ok: $1"; fi; }

# Every script the action runs exists, and every input is documented in docs/ci.md.
for script in $(grep -oE 'action/[a-z]+\.sh' "$src/action.yml" | sort -u); do
    check "$script exists" "[[ -f '$src/$script' ]]"
done
for input in $(sed -n '/^inputs:/,/^outputs:/p' "$src/action.yml" | grep -oE '^  [a-z-]+:' | tr -d ' :'); do
    check "input $input is documented" "grep -q '\`$input\`' '$src/docs/ci.md'"
done

export PATH="$work/bin:$PATH" RUNNER_TEMP="$work/runner" GITHUB_OUTPUT="$work/output" GITHUB_STEP_SUMMARY="$work/summary.md"
mkdir -p "$RUNNER_TEMP"
check "install uses the binary on PATH" "[[ \$(bash '$src/action/install.sh') == using* ]]"

cd "$src/testdata/ksail"
KBS_BASE=before.txt KBS_HEAD=after.txt KBS_FORMAT=html KBS_FAIL_ON_REGRESSION=true KBS_THRESHOLD="10% allocs/op=5%" \
    KBS_ARGS="--exclude BenchmarkNothing*" bash "$src/action/compare.sh" >"$work/compare.log" 2>&1
check "compare records the gate's exit status" "grep -qx 'exit-code=1' '$GITHUB_OUTPUT'"
check "compare writes the job summary" "[[ \$(head -n 1 '$GITHUB_STEP_SUMMARY') == '<!-- ksail-benchstat -->' ]]"
check "compare writes the HTML report" "grep -qx 'report=$RUNNER_TEMP/ksail-benchstat/report.html' '$GITHUB_OUTPUT' && grep -q '<svg' '$RUNNER_TEMP/ksail-benchstat/report.html'"
check "compare prints the text table in the log" "grep -q 'ComputeDiff_NoChanges-4' '$work/compare.log'"
: >"$GITHUB_OUTPUT"
KBS_BASE=before.txt KBS_HEAD=after.txt KBS_FAIL_ON_REGRESSION=false bash "$src/action/compare.sh" >/dev/null 2>&1
check "without the gate the exit status is 0" "grep -qx 'exit-code=0' '$GITHUB_OUTPUT'"
: >"$GITHUB_OUTPUT"
KBS_BASE=missing.txt KBS_HEAD=after.txt bash "$src/action/compare.sh" >/dev/null 2>&1
check "a missing input is exit status 2" "grep -qx 'exit-code=2' '$GITHUB_OUTPUT'"
check "the summary says why it could not compare" "grep -q 'could not compare (exit status 2)' '$GITHUB_STEP_SUMMARY' && grep -q 'missing.txt' '$GITHUB_STEP_SUMMARY'"

# A stand-in for gh: lists the comment ids in \$FAKE_COMMENTS, records every call.
cat >"$work/bin/gh" <<'FAKE'
#!/usr/bin/env bash
echo "$*" >>"$FAKE_LOG"
if [[ $* == *"--jq"* ]]; then printf '%s\n' $FAKE_COMMENTS; fi
FAKE
chmod +x "$work/bin/gh"
export GITHUB_REPOSITORY=owner/repo KBS_PR=7 KBS_BODY="$RUNNER_TEMP/ksail-benchstat/comment.md" FAKE_LOG="$work/gh.log" GH_TOKEN=x
FAKE_COMMENTS="" bash "$src/action/comment.sh" >/dev/null
check "a first run creates the comment" "grep -qx 'api --method POST repos/owner/repo/issues/7/comments -F body=@$KBS_BODY' '$FAKE_LOG'"
: >"$FAKE_LOG"
FAKE_COMMENTS="4242 5151" bash "$src/action/comment.sh" >/dev/null
check "a later run updates the marked comment" "grep -qx 'api --method PATCH repos/owner/repo/issues/comments/4242 -F body=@$KBS_BODY' '$FAKE_LOG' && ! grep -q POST '$FAKE_LOG'"
check "the comment is found by its marker" "grep -q 'startswith(\"<!-- ksail-benchstat -->\")' '$FAKE_LOG'"
exit $fail
