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

# The check itself: a change it must call breaking.
if "$oasdiff" breaking --fail-on ERR openapi/testdata/breaking/released.yaml openapi/testdata/breaking/changed.yaml >/dev/null; then
  echo "oasdiff passed a breaking change (openapi/testdata/breaking): the check checks nothing" >&2
  exit 1
fi

current=$(mktemp -d)
trap 'rm -rf "$current"' EXIT
go run ./cmd/stend openapi write --dir "$current" >/dev/null
status=0
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
