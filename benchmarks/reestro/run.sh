#!/usr/bin/env bash
# Reestro listing benchmarks on a generated history, against the running binary:
#   benchmarks/reestro/run.sh                     # SQLite, 10 million checks
#   COUNT=1000000 DEPTH=10000 benchmarks/reestro/run.sh
#   STEND_DATABASE_URL=postgres://… benchmarks/reestro/run.sh   # PostgreSQL (an empty database)
#   DATA=/path benchmarks/reestro/run.sh          # keep (or reuse) the SQLite stand in /path
# It generates the checks (reporting the rate), starts `stend serve`, and runs the Go client in
# benchmarks/reestro: the walk to the deep page (pages/s of one client), latency of page 1 and of the
# deep page per filter set, and pages/s of many clients; then wrk (when installed) over the same pages,
# since the Go client's own CPU takes a core from the two the server has.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${COUNT:-10000000}
depth=${DEPTH:-100000}
duration=${DURATION:-10s}
clients=${CLIENTS:-16}
work=$(mktemp -d)
data=${DATA:-$work/data}
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=
go build -o "$work/stend" ./cmd/stend
go build -o "$work/reestrobench" ./benchmarks/reestro
store=(--data-dir "$data")
[ -n "${STEND_DATABASE_URL:-}" ] && store=(--database-url "$STEND_DATABASE_URL")
org=1269f58a-3d40-42e1-91ad-a4251566419c
key=bench-key-$RANDOM$RANDOM$RANDOM

if ! "$work/stend" reestro org list "${store[@]}" --log-level warn | grep -q "$org"; then
  "$work/stend" reestro org create "${store[@]}" --log-level warn --id "$org" --name bench >/dev/null
  echo "== generate $count checks (seed 1)"
  "$work/stend" reestro generate "${store[@]}" --log-level warn --org "$org" --count "$count" --random-seed 1 2>/dev/null
fi
"$work/stend" reestro key issue "${store[@]}" --log-level warn --name bench --key "$key" --orgs "$org" >/dev/null

port=$((20000 + RANDOM % 20000))
"$work/stend" serve "${store[@]}" --addr "127.0.0.1:$port" --log-level warn >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
"$work/reestrobench" -base "http://127.0.0.1:$port" -key "$key" -org "$org" -depth "$depth" -duration "$duration" \
  -clients "$clients" -paths-out "$work/paths"
if command -v wrk >/dev/null; then
  for c in 1 4 16; do
    echo "== wrk, $c connections, page 1 and page $depth of every deep filter in turn"
    PATHS_FILE="$work/paths" REESTRO_AUTH="ReestroAuth apiKey=$key&portal.orgid=$org" \
      wrk -t1 -c"$c" -d"$duration" -s benchmarks/reestro/pages.lua "http://127.0.0.1:$port" | tail -1
  done
else
  echo "(wrk not installed: apt-get install wrk for the pages/s of a C load generator)"
fi
echo "== serving process peak memory: $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MiB"}')"
