#!/usr/bin/env bash
# The action's comment step: updates the pull request's ksail-benchstat comment (found by the
# marker the markdown report starts with) or creates it, so a pull request has one such comment.
# Needs GH_TOKEN, GITHUB_REPOSITORY, KBS_PR (the pull-request number) and KBS_BODY (a file).
set -euo pipefail
marker='<!-- ksail-benchstat -->'
if [[ $(head -n 1 "$KBS_BODY") != "$marker" ]]; then
    echo "::error::$KBS_BODY does not start with the ksail-benchstat marker"; exit 1
fi
# Our comments' ids, on every page (--paginate); the first one is kept up to date. Reading them all
# (rather than piping into `head`) cannot break the pipe under pipefail.
ids=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$KBS_PR/comments" \
    --jq ".[] | select(.body | startswith(\"$marker\")) | .id")
id=${ids%%$'\n'*}
if [[ -n $id ]]; then
    gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$KBS_BODY" >/dev/null
    echo "updated comment $id on pull request #$KBS_PR"
else
    gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$KBS_PR/comments" -F "body=@$KBS_BODY" >/dev/null
    echo "commented on pull request #$KBS_PR"
fi
