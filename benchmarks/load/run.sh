#!/usr/bin/env bash
# Load test of the report intake against the running binary, over loopback:
# small reports from 1 and from 32 connections, with wrk.
#   benchmarks/load/run.sh            # SQLite in a temporary directory
#   STEND_DATABASE_URL=postgres://… benchmarks/load/run.sh   # PostgreSQL (use an empty database)
# Needs wrk (Debian package "wrk"). DURATION (default 15s) sets each run's length.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
duration=${DURATION:-15s}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/stend" ./cmd/stend
python3 - "$work/seed.json" <<'PY'
import json, sys
areas = [{"id": 1000 + i} for i in range(1000)]
json.dump({"migrantExam": {"organizations": [{"username": "load", "password": "load-password",
          "apiKey": "load-key", "areas": areas}]}}, open(sys.argv[1], "w"))
PY
port=$((20000 + RANDOM % 20000))
"$work/stend" serve --addr "127.0.0.1:$port" --data-dir "$work/data" --seed "$work/seed.json" \
  --log-level warn >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

export LOAD_BASIC=$(printf 'load:load-password' | base64) LOAD_KEY=load-key
# Warm-up, not reported: the first request of a client pays the password
# hash (PBKDF2, about a quarter of a second), later ones hit the cache.
WEEK_OFFSET=1000 WRK_THREADS=1 wrk -t1 -c1 -d2s -s benchmarks/load/small-report.lua "http://127.0.0.1:$port" >/dev/null
offset=0
for c in 1 32; do
  t=$(( c < 2 ? 1 : 2 ))
  echo "== $c connection(s), $t wrk thread(s), $duration, store: ${STEND_DATABASE_URL:+postgres}${STEND_DATABASE_URL:-sqlite}" | sed 's#postgres.*#postgres#'
  WEEK_OFFSET=$offset WRK_THREADS=$t wrk -t"$t" -c"$c" -d"$duration" --latency -s benchmarks/load/small-report.lua "http://127.0.0.1:$port" \
    | grep -E 'Requests/sec|Latency|50%|90%|99%|Non-2xx|unexpected|requests in'
  offset=$((offset + 200)) # 200 weeks × 1000 areas: more reports than a run sends
done
