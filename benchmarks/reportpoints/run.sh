#!/usr/bin/env bash
# The points report (issue 17) against the running binary: a ledger of
# ENTRIES (10,000,000) entries among USERS (100,000) users, all active, from
# `stend motivity points generate`; then, per round,
#   generate: POST /public/api/v1/reports/generate/points to /dev/null: rows/s
#             (rows = the ledger's entries), the time to its first byte, and
#             the server's RSS growth: its
#             peak during the request (VmHWM, reset before it through
#             /proc/PID/clear_refs) less its RSS right before;
#   create:   POST create/points, then GET data/{id} every 0.2 s until 200,
#             the whole body: the time from the create to the last byte, as
#             a ratio to generate's, and the RSS growth over it.
# Once per store the bodies are checked: generate's and data's are equal,
# byte for byte, with ENTRIES rows.
#   benchmarks/reportpoints/run.sh               # SQLite, then PostgreSQL
#   benchmarks/reportpoints/run.sh sqlite        # one store
# PostgreSQL runs in a database made on the server of PG_ADMIN_URL (default
# postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable), dropped at
# the end. DATA=dir keeps the generated ledgers instead (dir/sqlite, the
# database stend_reportpoints) and reuses them when they are there: the
# generation takes minutes (its figures are printed). ROUNDS (3) rounds per
# store, each on a server started afresh. Prints one line per round and
# store, then the medians; RESULTS names the file of the lines (a new one in
# /tmp by default).
set -euo pipefail
cd "$(dirname "$0")/../.."
users=${USERS:-100000}
entries=${ENTRIES:-10000000}
rounds=${ROUNDS:-3}
admin=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
keep=${DATA:-}
stores=("$@")
[ ${#stores[@]} -gt 0 ] || stores=(sqlite postgres)
work=$(mktemp -d)
pid=
scratch=
cleanup() {
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  [ -n "$scratch" ] && psql -q "$admin" -c "DROP DATABASE IF EXISTS $scratch" || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/stend" ./cmd/stend
token=reportpoints-public-token
results=${RESULTS:-$(mktemp /tmp/reportpoints-XXXXXX.tsv)}
printf 'store\tround\tload1\trows\tgenerate s\tfirst byte s\trows/s\trss before MB\tgenerate growth MB\tcreate+data s\tratio\tcreate growth MB\n' >"$results"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$pid/status"; }
# The peak from here on: VmHWM would otherwise hold the start-up's.
reset_peak() { echo 5 >"/proc/$pid/clear_refs"; }
now() { date +%s.%N; }

for store in "${stores[@]}"; do
  data=$work/$store
  [ -n "$keep" ] && data=$keep/$store
  dbflags=(--data-dir "$data")
  if [ "$store" = postgres ]; then
    db=stend_reportpoints
    if [ -z "$keep" ]; then
      db=stend_reportpoints_$$
      scratch=$db
    fi
    [ -e "$data.json" ] || {
      psql -q "$admin" -c "DROP DATABASE IF EXISTS $db"
      psql -q "$admin" -c "CREATE DATABASE $db"
    }
    dburl=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$admin" "$db")
    dbflags+=(--database-url "$dburl")
  fi
  if [ ! -e "$data.json" ]; then
    "$work/stend" motivity points generate --users "$users" --entries "$entries" "${dbflags[@]}" --log-level warn >"$data.json.tmp" 2>/dev/null
    mv "$data.json.tmp" "$data.json"
  fi
  echo "== $store: $(cat "$data.json")"
  rows=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["entries"])' "$data.json")
  "$work/stend" motivity token set --token "$token" "${dbflags[@]}" --log-level warn >/dev/null
  for round in $(seq 1 "$rounds"); do
    port=$((20000 + RANDOM % 20000))
    "$work/stend" serve --addr "127.0.0.1:$port" "${dbflags[@]}" --operator-token reportpoints-operator \
      --log-level warn >"$work/log" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
    api="http://127.0.0.1:$port/public/api/v1/reports"
    post() { curl -fsS -X POST -H "X-Auth-Token: $token" -H 'Content-Type: application/json' -d '{"filters": {}}' "$@"; }
    load=$(cut -d' ' -f1 /proc/loadavg)

    before=$(rss); reset_peak
    t0=$(now)
    first=$(post "$api/generate/points" -o /dev/null -w '%{time_starttransfer}')
    t1=$(now)
    generate_peak=$(hwm)

    create_before=$(rss); reset_peak
    t2=$(now)
    id=$(post "$api/create/points" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
    while :; do
      code=$(curl -sS -H "X-Auth-Token: $token" -o "$work/data.json" -w '%{http_code}' "$api/data/$id")
      [ "$code" = 200 ] && break
      [ "$code" = 202 ] || { echo "data/$id: $code"; cat "$work/data.json"; exit 1; }
      sleep 0.2
    done
    t3=$(now)
    create_peak=$(hwm)

    if [ "$round" = 1 ]; then
      post "$api/generate/points" -o "$work/generate.json"
      cmp "$work/generate.json" "$work/data.json" || { echo "$store: data/$id differs from generate"; exit 1; }
      got=$(grep -o '{"date":"[0-9]' "$work/generate.json" | wc -l)
      [ "$got" = "$rows" ] || { echo "$store: $got rows, want $rows"; exit 1; }
      echo "$store: generate and data/$id are the same $(stat -c %s "$work/generate.json") bytes, $got rows"
    fi
    rm -f "$work/generate.json" "$work/data.json"
    # Its 1.9 GB would otherwise be kept in the blob store for a day.
    curl -fsS -X DELETE -H "Authorization: Bearer reportpoints-operator" "http://127.0.0.1:$port/operator/v1/motivity/reports/$id" >/dev/null
    python3 - "$store" "$round" "$load" "$rows" "$first" "$t0" "$t1" "$t2" "$t3" "$before" "$generate_peak" "$create_before" "$create_peak" >>"$results" <<'PY'
import sys
store, rnd, load, rows, first = sys.argv[1:6]
t0, t1, t2, t3 = map(float, sys.argv[6:10])
before, gpeak, cbefore, cpeak = (int(v) / 1024 for v in sys.argv[10:14])
gen, create = t1 - t0, t3 - t2
print("\t".join([store, rnd, load, rows, "%.1f" % gen, "%.2f" % float(first), "%.0f" % (int(rows) / gen), "%.0f" % before,
                 "%.0f" % (gpeak - before), "%.1f" % create, "%.2f" % (create / gen), "%.0f" % (cpeak - cbefore)]))
PY
    tail -1 "$results"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  done
  if [ -n "$scratch" ]; then psql -q "$admin" -c "DROP DATABASE $scratch"; scratch=; fi
done
column -t -s $'\t' "$results"
echo "== medians of $rounds rounds"
python3 - "$results" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
for store in dict.fromkeys(r["store"] for r in rows):
    rs = [r for r in rows if r["store"] == store]
    med = lambda k: statistics.median(float(r[k]) for r in rs)
    print("%s: %.0f rows/s, first byte %.2f s, RSS +%.0f MB (generate), create+data %.2f× generate, RSS +%.0f MB (create)"
          % (store, med("rows/s"), med("first byte s"), med("generate growth MB"), med("ratio"), med("create growth MB")))
PY
