#!/usr/bin/env bash
# A cold SIZE download with curl from local disk: the stend of this tree
# beside other builds of it (BUILDS, name=binary pairs; BEFORE=binary is
# BUILDS=before=binary) and beside dd reading the same blob past the page
# cache (iflag=direct, 4 MiB at a time), one after the other in each round,
# each after the page cache is dropped (needs root). The builds take turns
# at going first, one round to the next. The figures of docs/benchmarks.md,
# "Motivity files".
#
#   git worktree add /tmp/before <commit> && (cd /tmp/before && go build -o /tmp/stend-before ./cmd/stend)
#   BEFORE=/tmp/stend-before SIZE=10737418240 DIR=/var/tmp/stend-files-bench benchmarks/files/download.sh
#   BUILDS="main=/tmp/stend-main w64=/tmp/stend-w64" benchmarks/files/download.sh
#
# DIR needs twice SIZE free; the builds serve one data directory in turn.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE=${SIZE:-10737418240}
DIR=${DIR:-/var/tmp/stend-files-bench}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18081}
BUILDS="${BUILDS:-${BEFORE:+before=$BEFORE}} this=$DIR/stend"
mkdir -p "$DIR"
go build -o "$DIR/stend" ./cmd/stend
echo '{"motivity":{"platform":{"publicToken":"bench-token"}}}' >"$DIR/seed.json"
if [ "$(stat -c %s "$DIR/src.mp4" 2>/dev/null || echo 0)" != "$SIZE" ]; then
  head -c "$SIZE" /dev/urandom >"$DIR/src.mp4"
fi

serve() { # binary
  STEND_SECRET=bench-secret-0123456789 "$1" serve --addr 127.0.0.1:$PORT --data-dir "$DIR/dl" \
    --seed "$DIR/seed.json" --log-level warn >"$DIR/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && return; sleep 0.2; done
  cat "$DIR/serve.log"; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
cold() { sync; echo 3 >/proc/sys/vm/drop_caches; }

rm -rf "$DIR/dl"
serve "$DIR/stend"
curl -sf -o /dev/null -H 'X-Auth-Token: bench-token' -F "file=@$DIR/src.mp4;type=video/mp4" \
  "http://127.0.0.1:$PORT/public/api/v1/file/upload"
link=$(curl -sf -X POST -H 'X-Auth-Token: bench-token' "http://127.0.0.1:$PORT/public/api/v1/file/1" | sed 's/.*"file":"\([^"]*\)".*/\1/')
stop
blob=$(find "$DIR/dl/blobs/motivity" -type f | head -1)
for round in $(seq 1 "$ROUNDS"); do
  line="round $round:"
  cold
  dd_s=$(dd if="$blob" of=/dev/null bs=4M iflag=direct 2>&1 | sed -n 's/.*copied, \([0-9.]*\) s.*/\1/p')
  line="$line dd $(awk -v s="$SIZE" -v t="$dd_s" 'BEGIN {printf "%.2f", s/t/1e9}') GB/s"
  read -r -a builds <<<"$BUILDS"
  for i in "${!builds[@]}"; do
    build=${builds[$(((i + round - 1) % ${#builds[@]}))]}
    serve "${build#*=}"
    cold
    speed=$(curl -sf -o /dev/null -w '%{speed_download}' "$link")
    stop
    line="$line, ${build%%=*} $(awk -v s="$speed" 'BEGIN {printf "%.2f", s/1e9}') GB/s"
  done
  echo "$line (load $(cut -d' ' -f1 /proc/loadavg))"
done
rm -rf "$DIR/dl"
