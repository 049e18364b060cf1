#!/usr/bin/env bash
# Where a person search's (or a small report's) cycles, round trips,
# commits and WAL go on PostgreSQL: one node under the person-search load of
# benchmarks/fssp (LOAD=reports: small migrant-exam reports from wrk's
# CLIENTS connections, 32 by default, benchmarks/load/small-report.lua; LOAD=group or legal:
# benchmarks/fssp's groups of 100 or legal fragments, CLIENTS 1 by default),
# with the server's counters read around the run.
#   PG_URL=postgres://…/bank PG_SECRET_FILE=… benchmarks/stores/profile.sh
# The cluster needs pg_stat_statements in shared_preload_libraries (and
# track_io_timing on for the read times); the extension is created in the
# bank's database. BIN (default: this tree, built), CLIENTS (16), WARMUP_CLIENTS (16), DURATION
# (15s), WARMUP (30s, the same load before), PPROF (a file: the node's 10 s Go CPU profile from the middle of
# the run), SERVE_FLAGS (more flags for the node), HTTP_CLIENT (net or lean:
# benchmarks/fssp's -http).
# Printed per search (or report): CPU of the node, of the cluster's processes and of the
# client; statements, commits, WAL bytes and records, fsyncs, tuples and
# blocks; then the statements by server time.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PG_URL:?the DSN of the PostgreSQL bank}"
load=${LOAD:-person}
case $load in person) clients=${CLIENTS:-16} ;; reports) clients=${CLIENTS:-32} ;; group | legal) clients=${CLIENTS:-1} ;;
  *) echo "LOAD is person, reports, group or legal" >&2; exit 2 ;; esac
duration=${DURATION:-15s}
work=$(mktemp -d)
pid=
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
bin=${BIN:-}
if [ -z "$bin" ]; then
  bin=$work/stend
  go build -o "$bin" ./cmd/stend
fi
go build -o "$work/fsspbench" ./benchmarks/fssp
# benchmarks/fssp against the node (or nodes) in $base, with the token in
# $token and the client HTTP_CLIENT chooses.
fsspbench() { "$work/fsspbench" -http "${HTTP_CLIENT:-net}" -base "$base" -token "$token" "$@"; }
q() { psql -X -q -A -t -d "$PG_URL" -v ON_ERROR_STOP=1 "$@"; }
q -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null
args=(--database-url "$PG_URL" ${PG_SECRET_FILE:+--secret-file "$PG_SECRET_FILE"} --log-level warn)
token=profile-bench-$RANDOM$RANDOM
"$bin" fssp token issue "${args[@]}" --name "$token" --token "$token" \
  --single-per-hour 0 --single-per-day 0 --group-per-day 0 >/dev/null
python3 - "$work/seed.json" <<'PY'
import json, sys
areas = [{"id": 1000 + i} for i in range(1000)]
json.dump({"migrantExam": {"organizations": [{"username": "load", "password": "load-password",
          "apiKey": "load-key", "areas": areas}]}}, open(sys.argv[1], "w"))
PY
export LOAD_BASIC=$(printf 'load:load-password' | base64) LOAD_KEY=load-key WRK_THREADS=2
# Reports take weeks no earlier run took (1,000 areas a week), from 5,000
# weeks back so as to stay clear of run.sh's.
weeks() { echo $((5000 + $(q -c "SELECT count(DISTINCT period_start) FROM reports") + 2)); }
port=$((20000 + RANDOM % 20000))
"$bin" serve "${args[@]}" --seed "$work/seed.json" --addr "127.0.0.1:$port" --pprof-addr "127.0.0.1:$((port + 1))" ${SERVE_FLAGS:-} >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
base=http://127.0.0.1:$port
# Warm-up: the node's dictionaries, and each backend's first touch of the
# shared buffers' pages (see run.sh).
fsspbench -mode person -clients "${WARMUP_CLIENTS:-16}" -duration "${WARMUP:-30s}" >/dev/null
if [ "$load" = reports ]; then
  WEEK_OFFSET=$(weeks) wrk -t2 -c32 -d10s -s benchmarks/load/small-report.lua "$base" >/dev/null
elif [ "$load" != person ]; then
  fsspbench -mode "$load" -clients "$clients" -duration 10s >/dev/null
fi
run() {
  if [ "$load" = reports ]; then
    WEEK_OFFSET=$(weeks) wrk -t$((clients < 2 ? 1 : 2)) -c"$clients" -d"$duration" --latency -s benchmarks/load/small-report.lua "$base" |
      awk '/Requests\/sec/ {r = $2} / 50% / {p50 = $2} / 99% / {p99 = $2} /requests in/ {n = $1} /Non-2xx|unexpected/ {e = e " " $0}
        END {printf "%.0f reports/s, p50 %s, p99 %s (%d requests)%s\n", r, p50, p99, n, e}'
  else
    fsspbench -mode "$load" -clients "$clients" -duration "$duration"
  fi
}

# The cluster runs on this machine: its checkpointer's parent is the
# postmaster.
postmaster=$(q -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")
postmaster=$(awk '{print $4}' "/proc/$postmaster/stat")
ticks() { # utime + stime of a process, and of the postmaster's children
  awk '{print $14 + $15}' "/proc/$pid/stat"
  for p in /proc/[0-9]*/stat; do awk -v pm="$postmaster" '$1 == pm || $4 == pm {print $14 + $15}' "$p" 2>/dev/null; done |
    awk '{s += $1} END {print s}'
}
counters() {
  q -F ' ' -c "SELECT d.xact_commit, d.tup_inserted, d.tup_updated, d.tup_deleted, d.blks_hit, d.blks_read,
    w.wal_records, w.wal_fpi, w.wal_bytes, w.wal_sync, pg_current_wal_lsn() - '0/0'
    FROM pg_stat_database d, pg_stat_wal w WHERE d.datname = current_database()"
}
sleep 1
q -c 'SELECT pg_stat_statements_reset()' >/dev/null
before=$(counters)
read -r node0 pg0 < <(ticks | paste -sd ' ')
if [ -n "${PPROF:-}" ]; then
  (sleep 2; curl -fs -o "$PPROF" "http://127.0.0.1:$((port + 1))/debug/pprof/profile?seconds=10") &
  profiling=$!
fi
out=$(/usr/bin/time -f '%U %S' -o "$work/client-cpu" bash -c "$(declare -f run q weeks fsspbench); $(declare -p load work base token clients duration PG_URL); run")
read -r node1 pg1 < <(ticks | paste -sd ' ')
sleep 11 # idle backends send their statistics within 10 s
after=$(counters)
[ -z "${profiling:-}" ] || wait "$profiling"
echo "$out"
# the requests the run answered: searches (legal: the three kinds of
# fragment together), or reports
searches=$(echo "$out" | sed -E 's/.*\(([0-9]+) (searches|requests).*/\1/' | awk '{s += $1} END {print s}')
client=$(awk '{print $1 + $2}' "$work/client-cpu")
hz=$(getconf CLK_TCK)
awk -v n="$searches" -v hz="$hz" -v node=$((node1 - node0)) -v pg=$((pg1 - pg0)) -v client="$client" \
  'BEGIN {printf "CPU per search: node %.2f ms, PostgreSQL %.2f ms, client %.2f ms\n", node / hz * 1000 / n, pg / hz * 1000 / n, client * 1000 / n}'
paste <(echo "$before" | tr ' ' '\n') <(echo "$after" | tr ' ' '\n') |
  awk -v n="$searches" 'BEGIN {split("xact_commit tuples_inserted tuples_updated tuples_deleted blocks_hit blocks_read wal_records wal_full_page_images wal_bytes(pg_stat_wal) wal_fsyncs wal_bytes(lsn)", k, " ")}
    {printf "%-24s %10.2f per search\n", k[NR], ($2 - $1) / n}'
q -F ' | ' -c "SELECT round(calls::numeric / $searches, 2) AS calls, round((total_exec_time / $searches)::numeric, 3) AS ms,
    round(mean_exec_time::numeric, 3) AS mean_ms, round(wal_bytes / $searches) AS wal, left(regexp_replace(query, '\s+', ' ', 'g'), 110)
  FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  ORDER BY total_exec_time DESC LIMIT 20" | sed '1i calls/search | ms/search | mean ms | WAL bytes/search | statement'
q -c "SELECT 'statements per search: ' || round(sum(calls)::numeric / $searches, 2) FROM pg_stat_statements
  WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
