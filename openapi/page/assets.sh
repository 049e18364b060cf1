#!/bin/sh
# The renderer's files the page serves, copied from the package the lock
# file names (copy), or checked against it (check, in .ci/run): they are
# committed so that the binary embeds them and `go run` needs only Go.
set -eu
cd "$(dirname "$0")"
files="swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui-standalone-preset.js
swagger-ui-standalone-preset.js.LICENSE.txt swagger-ui.css LICENSE NOTICE favicon-32x32.png"
src=node_modules/swagger-ui-dist
case "${1:-}" in
copy)
  rm -rf assets && mkdir assets
  for f in $files; do cp "$src/$f" "assets/$f"; done ;;
check)
  for f in $files; do
    cmp -s "$src/$f" "assets/$f" || { echo "openapi/page/assets/$f differs from $src/$f: npm run assets, and commit" >&2; exit 1; }
  done
  extra=$(ls assets | grep -vxF "$(printf '%s\n' $files)" || true)
  [ -z "$extra" ] || { echo "openapi/page/assets holds files the renderer does not: $extra" >&2; exit 1; } ;;
*) echo "usage: assets.sh copy|check" >&2; exit 2 ;;
esac
