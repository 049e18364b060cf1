#!/usr/bin/env bash
# FSSP data bank benchmarks on a generated bank, against the running binary:
#   benchmarks/fssp/run.sh                      # SQLite, 10 million proceedings
#   COUNT=1000000 benchmarks/fssp/run.sh        # a smaller bank
#   STEND_DATABASE_URL=postgres://… benchmarks/fssp/run.sh   # PostgreSQL (an empty database)
#   DATA=/path benchmarks/fssp/run.sh           # keep (or reuse) the SQLite bank in /path
# It generates the bank (reporting the rate), starts `stend serve`, measures person,
# legal-fragment and group searches from submit to status 0 (Go client), /status
# polling (wrk), the fragment index against FTS5 / pg_trgm in process, and the
# serving process's peak memory. Needs wrk (Debian package "wrk").
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
count=${COUNT:-10000000}
duration=${DURATION:-15s}
work=$(mktemp -d)
data=${DATA:-$work/data}
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=
go build -o "$work/stend" ./cmd/stend
go build -o "$work/fsspbench" ./benchmarks/fssp
store=(--data-dir "$data")
[ -n "${STEND_DATABASE_URL:-}" ] && store=(--database-url "$STEND_DATABASE_URL")

echo "== generate $count proceedings (seed 1)"
"$work/stend" fssp generate "${store[@]}" --log-level warn --count "$count" --random-seed 1 2>/dev/null
token=bench-token-$RANDOM$RANDOM
"$work/stend" fssp token issue "${store[@]}" --log-level warn --name bench --token "$token" \
  --single-per-hour 0 --single-per-day 0 --group-per-day 0 >/dev/null

port=$((20000 + RANDOM % 20000))
"$work/stend" serve "${store[@]}" --addr "127.0.0.1:$port" --log-level warn >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"

echo "== searches, submit to status 0 ($duration each)"
"$work/fsspbench" -base "$base" -token "$token" -mode all -clients 16 -duration "$duration"

echo "== /status polling of a finished task, wrk 32 connections"
task=$(curl -fsG "$base/api/v1.0/search/ip" --data-urlencode token="$token" --data-urlencode number=1/12/01/66 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["response"]["task"])')
sleep 0.5
wrk -t2 -c32 -d"$duration" --latency "$base/api/v1.0/status?token=$token&task=$task" |
  grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|requests in'
echo "== peak memory of the serving process"
grep -E 'VmHWM|VmRSS' "/proc/$pid/status"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

echo "== fragment index against a generic trigram index, in process"
if [ -n "${STEND_DATABASE_URL:-}" ]; then
  "$work/fsspbench" -mode index -database-url "$STEND_DATABASE_URL"
else
  "$work/fsspbench" -mode index -data-dir "$data"
fi
