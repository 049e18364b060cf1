#!/usr/bin/env bash
# A change to a document that breaks what a released contract promised
# (a path or operation gone, a parameter made required, a field's type or
# presence changed in an answer …) fails CI: each document the stand serves
# is compared with the last released one (openapi/released/, docs/openapi.md)
# by oasdiff, built from the Go module proxy and kept by version like weed.
set -euo pipefail
cd "$(dirname "$0")/.."

oasdiff_version=v1.37.0
oasdiff_dir="${STEND_CI_CACHE:-/var/cache/stend-ci}/oasdiff-$oasdiff_version"
if [ ! -x "$oasdiff_dir/oasdiff" ]; then
  mkdir -p "$oasdiff_dir"
  GOBIN="$oasdiff_dir" go install "github.com/oasdiff/oasdiff@$oasdiff_version"
fi
oasdiff="$oasdiff_dir/oasdiff"

# The check itself: a change it must call breaking, with the exit status
# it gives for one (a crash or a missing file is another status).
set +e
selftest=$("$oasdiff" breaking --fail-on ERR openapi/testdata/breaking/released.yaml openapi/testdata/breaking/changed.yaml 2>&1)
selftest_status=$?
set -e
if [ "$selftest_status" -ne 1 ] || ! grep -q 'new-required-request-parameter' <<<"$selftest"; then
  echo "oasdiff did not call a breaking change breaking (openapi/testdata/breaking, exit $selftest_status): $selftest" >&2
  exit 1
fi

current=$(mktemp -d)
trap 'rm -rf "$current"' EXIT
go run ./cmd/stend openapi write --dir "$current" >/dev/null
status=0
# Every document the stand serves has been released: a new one is released
# with the change that adds it (docs/openapi.md).
for served in "$current"/*.json; do
  if [ ! -e "openapi/released/$(basename "$served")" ]; then
    echo "openapi: $(basename "$served") has no released contract in openapi/released/; see docs/openapi.md" >&2
    status=1
  fi
done
for released in openapi/released/*.json; do
  [ -e "$released" ] || continue
  api=$(basename "$released")
  if [ ! -e "$current/$api" ]; then
    echo "openapi: $api was released and the stand no longer serves it" >&2
    status=1
    continue
  fi
  if ! "$oasdiff" breaking --fail-on ERR "$released" "$current/$api"; then
    echo "openapi: $api breaks its released contract ($released); see docs/openapi.md" >&2
    status=1
  fi
done
exit $status
