#!/usr/bin/env bash
# PostgreSQL beside SQLite on the same workloads, the same client and the
# same generated bank, one store after the other in each round:
#   SQLITE_DIR=/var/tmp/b/sqlite PG_URL=postgres://…/bank benchmarks/stores/run.sh
# PG_SECRET_FILE: the secret the PostgreSQL bank was made with (its data
# directory has none). Both banks must hold the same generated bank (stend fssp generate --count
# 10000000 --random-seed 1, into each). BIN (default: this tree, built) is
# the binary; ROUNDS (2) and DURATION (10s) the rounds and each run's
# length; CLIENTS ("4 8 12 16") the person-search client counts; WARMUP
# (30s) the person searches of 16 clients before each configuration.
# CONFIGS ("sqlite postgres") is what runs in each round, in order: a
# store, or postgres:N for N nodes on the one PostgreSQL (the clients spread
# over them; CONFIGS="postgres postgres:2" LEGAL_CLIENTS=4 GROUP_CLIENTS=2
# is the two-node comparison; sqlite-full is SQLite with an fsync a commit,
# --sqlite-synchronous FULL, PostgreSQL's durability; a store's name with
# -nojournal, postgres-nojournal:2 too, runs it with --journal=false).
# Per configuration and round: person search from submit to status 0 at
# each client count, the legal fragments with LEGAL_CLIENTS (1), the group
# of 100 with 1 client (and 4 if GROUP_CLIENTS > 1) for GROUP_DURATION
# (DURATION's; 10 s is 120 groups, whose p99 is the second slowest, and
# the OS's writeback of every 30 s falls in one run of three: 60 s holds
# two, and p99 is 7 groups in) (benchmarks/fssp), and
# small migrant-exam reports from 32 connections shared by the nodes (wrk,
# benchmarks/load/small-report.lua). TRACE=<prefix> keeps every search of
# each run, as it ended, in <prefix>.<configuration>.<round>.<workload>
# (benchmarks/fssp -trace), to set a slow one beside the server's log.
# HTTP_CLIENT (net) is benchmarks/fssp's -http: lean takes less of the
# machine's CPU for the client (docs/benchmarks.md, twenty-first part).
# Each configuration starts with no FSSP tasks and an empty journal
# (empty-tasks.sh deletes those of earlier runs). Needs wrk, psql and
# python3. Both banks are read (PREWARM=0 skips it): the SQLite file into
# the OS cache first, and before each PostgreSQL configuration the
# PostgreSQL tables and indexes into shared buffers (pg_prewarm, which
# is created in the bank's database), so the cluster needs shared_buffers
# larger than the bank (6 GB for 10 million proceedings), best in huge
# pages (docs/operator.md, Stores). A bank just
# generated is not all in memory, and a run would measure the disk (this
# machine read 30 MB/s during a PostgreSQL run with the OS cache alone).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${SQLITE_DIR:?the data directory of the SQLite bank}" "${PG_URL:?the DSN of the PostgreSQL bank}"
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
rounds=${ROUNDS:-2}
duration=${DURATION:-10s}
clients=${CLIENTS:-4 8 12 16}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
bin=${BIN:-}
if [ -z "$bin" ]; then
  bin=$work/stend
  go build -o "$bin" ./cmd/stend
fi
go build -o "$work/fsspbench" ./benchmarks/fssp
# benchmarks/fssp against the node (or nodes) in $base, with the token in
# $token and the client HTTP_CLIENT chooses.
fsspbench() { "$work/fsspbench" -http "${HTTP_CLIENT:-net}" -base "$base" -token "$token" "$@"; }
python3 - "$work/seed.json" <<'PY'
import json, sys
areas = [{"id": 1000 + i} for i in range(1000)]
json.dump({"migrantExam": {"organizations": [{"username": "load", "password": "load-password",
          "apiKey": "load-key", "areas": areas}]}}, open(sys.argv[1], "w"))
PY
export LOAD_BASIC=$(printf 'load:load-password' | base64) LOAD_KEY=load-key
token=stores-bench-$RANDOM$RANDOM
for store in sqlite postgres; do
  args=(--data-dir "$SQLITE_DIR"); [ "$store" = postgres ] && args=(--database-url "$PG_URL" ${PG_SECRET_FILE:+--secret-file "$PG_SECRET_FILE"})
  "$bin" fssp token issue "${args[@]}" --log-level warn --name "$token" --token "$token" \
    --single-per-hour 0 --single-per-day 0 --group-per-day 0 >/dev/null
done

# The PostgreSQL bank is read before each of its configurations, below.
if [ "${PREWARM:-1}" = 1 ]; then cat "$SQLITE_DIR"/stend.db >/dev/null; fi

# Each configuration's reports take 104 weeks of their own in each round
# (1,000 areas a week: room for 10,000 reports a second for 10 s), counted
# back from June 2025 across invocations in a file beside the SQLite bank:
# none is a duplicate, though configurations may share a database.
weeks=$SQLITE_DIR/stores-bench-week
read -r -a configs <<<"${CONFIGS:-sqlite postgres}"
first=$(cat "$weeks" 2>/dev/null || echo 0)
echo "$((first + rounds * ${#configs[@]} * 104))" >"$weeks"
for round in $(seq 1 "$rounds"); do
  for ci in "${!configs[@]}"; do
    config=${configs[$ci]}
    store=${config%%:*}
    nodes=1; [ "$store" != "$config" ] && nodes=${config#*:}
    # -nojournal: the same store with the request journal off, as the stand
    # was when issue 3 measured the targets (the journal came with issue 19).
    journal=()
    case $store in *-nojournal) store=${store%-nojournal} journal=(--journal=false) ;; esac
    week=$((first + ((round - 1) * ${#configs[@]} + ci) * 104))
    case $store in
    sqlite) args=(--data-dir "$SQLITE_DIR") ;;
    sqlite-full) args=(--data-dir "$SQLITE_DIR" --sqlite-synchronous FULL) ;;
    postgres) args=(--database-url "$PG_URL" ${PG_SECRET_FILE:+--secret-file "$PG_SECRET_FILE"}) ;;
    *) echo "a configuration is sqlite, sqlite-full, postgres or postgres:N, each maybe -nojournal, not $config" >&2; exit 2 ;;
    esac
    # Each configuration starts without the tasks of the runs before it
    # (empty-tasks.sh), and on PostgreSQL with the bank read again into the
    # buffers that they took.
    if [ "$store" = postgres ]; then
      benchmarks/stores/empty-tasks.sh "$PG_URL"
      if [ "${PREWARM:-1}" = 1 ]; then benchmarks/stores/prewarm.sh "$PG_URL"; fi
    else
      benchmarks/stores/empty-tasks.sh "$SQLITE_DIR"
    fi
    bases=()
    for node in $(seq 1 "$nodes"); do
      port=$((20000 + RANDOM % 20000))
      "$bin" serve "${args[@]}" --addr "127.0.0.1:$port" --seed "$work/seed.json" --log-level warn "${journal[@]}" ${SERVE_FLAGS:-} >"$work/log$node" 2>&1 &
      pids+=($!)
      for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
      bases+=("http://127.0.0.1:$port")
    done
    base=$(IFS=,; echo "${bases[*]}")
    label="$config round $round"
    # Warm-up, not reported: the nodes' dictionaries, the page caches, the
    # reports' password hash, and on PostgreSQL each backend's first touch of
    # the shared buffers' pages (a minor fault a page and a process: on this
    # machine a fresh pool's first 15 s ran at 60 % of its later pace).
    fsspbench -mode person -clients 16 -duration "${WARMUP:-30s}" >/dev/null
    for i in "${!bases[@]}"; do
      WEEK_OFFSET=$((week + 2 * i)) WRK_THREADS=1 wrk -t1 -c1 -d1s -s benchmarks/load/small-report.lua "${bases[$i]}" >/dev/null
    done
    trace() { [ -z "${TRACE:-}" ] || echo "-trace=$TRACE.$config.$round.$1"; }
    for c in $clients; do
      echo "$label: $(fsspbench -mode person -clients "$c" -duration "$duration" $(trace "person$c"))"
    done
    fsspbench -mode legal -clients "${LEGAL_CLIENTS:-1}" -duration "$duration" $(trace legal) | sed "s/^/$label: /"
    fsspbench -mode group -clients "${GROUP_CLIENTS:-1}" -duration "${GROUP_DURATION:-$duration}" $(trace group) | sed "s/^/$label: /"
    # 32 connections in all, shared by the nodes, each wrk in weeks of its own.
    wrks=()
    for i in "${!bases[@]}"; do
      WEEK_OFFSET=$((week + 4 + 48 * i)) WRK_THREADS=2 wrk -t2 -c$((32 / nodes)) -d"$duration" --latency \
        -s benchmarks/load/small-report.lua "${bases[$i]}" >"$work/wrk$i" &
      wrks+=($!)
    done
    wait "${wrks[@]}"
    echo "$label: small reports, 32 connections: $(cat "$work"/wrk* | awk '/Requests\/sec/ {s += $2} / 99% / {p = p " p99 " $2} /Non-2xx|unexpected/ {e = e " " $0} END {printf "%.0f/s%s%s", s, p, e}')"
    rm -f "$work"/wrk*
    kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true; pids=()
  done
done
