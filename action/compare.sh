#!/usr/bin/env bash
# The action's compare step: runs ksail-benchstat on KBS_BASE and KBS_HEAD, writes the markdown
# report (comment and job summary) and the report in KBS_FORMAT, and records the exit status in
# GITHUB_OUTPUT. It never fails itself: the action's gate step decides from the exit status.
set -uo pipefail
out_dir=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ksail-benchstat
mkdir -p "$out_dir"
format=${KBS_FORMAT:-markdown}
case $format in
    markdown) ext=md ;;
    text) ext=txt ;;
    csv | json | html) ext=$format ;;
    *) echo "::error::format must be markdown, text, csv, json or html, got '$format'"; echo "exit-code=2" >>"$GITHUB_OUTPUT"; exit 0 ;;
esac

args=()
[[ ${KBS_FAIL_ON_REGRESSION:-true} == true ]] && args+=(--fail-on-regression)
for t in ${KBS_THRESHOLD:-}; do args+=(--threshold "$t"); done
# Further options are split at spaces, as a shell would without quotes (no globbing).
set -f
# shellcheck disable=SC2206
args+=(${KBS_ARGS:-})
set +f

comment=$out_dir/comment.md
summary=${GITHUB_STEP_SUMMARY:-$out_dir/summary.md}
errors=$out_dir/errors.txt
ksail-benchstat "${args[@]}" --format markdown -o "$comment" --summary "$summary" \
    "base=$KBS_BASE" "head=$KBS_HEAD" 2>"$errors"
status=$?
cat "$errors" >&2
if [[ $status -ge 2 ]]; then
    # No report to show: the summary says why, so a red job explains itself there too.
    {
        echo "### ❌ ksail-benchstat could not compare (exit status $status)"
        echo
        echo '```text'
        cat "$errors"
        echo '```'
    } >>"$summary"
fi
report=$comment
if [[ $format != markdown && $status -le 1 ]]; then
    report=$out_dir/report.$ext
    ksail-benchstat "${args[@]}" --format "$format" -o "$report" "base=$KBS_BASE" "head=$KBS_HEAD" 2>/dev/null
fi
# The text table in the log, for people reading the job output.
[[ $status -le 1 ]] && ksail-benchstat "${args[@]}" --format text "base=$KBS_BASE" "head=$KBS_HEAD" 2>/dev/null
{
    echo "exit-code=$status"
    [[ -s $comment ]] && echo "comment=$comment"
    [[ -s $report ]] && echo "report=$report"
} >>"$GITHUB_OUTPUT"
exit 0
