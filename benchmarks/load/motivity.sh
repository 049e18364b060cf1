#!/usr/bin/env bash
# Load test of Motivity points against the running binary, over loopback:
# 64 connections sending one-item debits and credits to the same 10 users,
# with wrk; then checks every balance against its ledger.
#   benchmarks/load/motivity.sh            # SQLite in a temporary directory
#   STEND_DATABASE_URL=postgres://… benchmarks/load/motivity.sh   # PostgreSQL (use an empty database)
# Needs wrk. DURATION (default 10s) sets the run's length.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
duration=${DURATION:-10s}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/stend" ./cmd/stend
python3 - "$work/seed.json" <<'PY'
import json, sys
users = [{"identifier": "u%d@example.ru" % i} for i in range(10)]
json.dump({"motivity": {"platform": {"publicToken": "load-public-token"}, "users": users}}, open(sys.argv[1], "w"))
PY
port=$((20000 + RANDOM % 20000))
"$work/stend" serve --addr "127.0.0.1:$port" --data-dir "$work/data" --seed "$work/seed.json" \
  --operator-token load-operator --log-level warn >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

echo "== 64 connections, 2 wrk threads, $duration, store: ${STEND_DATABASE_URL:+postgres}${STEND_DATABASE_URL:-sqlite}" | sed 's#postgres.*#postgres#'
wrk -t2 -c64 -d"$duration" --latency -s benchmarks/load/motivity-points.lua "http://127.0.0.1:$port" \
  | grep -E 'Requests/sec|Latency|50%|90%|99%|Non-2xx|applied'

# Every balance must equal the sum of its ledger and be non-negative.
python3 - "$port" <<'PY'
import json, sys, urllib.request
port = sys.argv[1]
def get(path):
    req = urllib.request.Request("http://127.0.0.1:%s/operator/v1/motivity/%s" % (port, path),
                                 headers={"Authorization": "Bearer load-operator"})
    return json.load(urllib.request.urlopen(req))
bad = 0
for i in range(10):
    ident = "u%d@example.ru" % i
    balance = get("users/" + ident)["balances"]["score"]
    total, after = 0, 0
    while True:
        entries = get("ledger?user=%s&balanceType=score&limit=1000&afterId=%d" % (ident, after))["entries"]
        if not entries:
            break
        total += sum(e["amount"] for e in entries)
        after = entries[-1]["id"]
    if balance != total or balance < 0:
        bad += 1
        print("%s: balance %d, ledger sum %d" % (ident, balance, total))
print("balances checked against the ledger: %d of 10 wrong" % bad)
PY
