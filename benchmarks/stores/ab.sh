#!/usr/bin/env bash
# Builds against each other on one PostgreSQL bank, each taking its turn in
# every round, so that a machine's drift between runs (a VM's speed moved by
# a quarter within an hour here) falls on all of them alike:
#   PG_URL=postgres://…/bank PG_SECRET_FILE=… PG_DATA=/…/data \
#   BUILDS="base=/tmp/stend-base new=/tmp/stend-new" benchmarks/stores/ab.sh
# Before each run the FSSP tasks and the journal are emptied
# (empty-tasks.sh: a journal that reaches --journal-keep starts pruning,
# which would fall on one build only),
# the cluster in PG_DATA is restarted (pg_ctl as its owner, PG_USER,
# default postgres) and its tables and indexes are read into shared
# buffers (prewarm.sh). Then benchmarks/stores/profile.sh runs with LOAD,
# CLIENTS, DURATION (15s), WARMUP (20s) as given; SERVE_FLAGS_<name> adds
# flags to that build's node (SERVE_FLAGS_off=--journal=false with
# off=<the same binary>), PPROF=<prefix> keeps each run's Go profile as
# <prefix>.<name>.<round>. ROUNDS (2); LINES (40) of each run's report.
# HTTP_CLIENT_<name> is that build's client (benchmarks/fssp -http;
# HTTP_CLIENT's, or net): net=/tmp/stend lean=/tmp/stend with
# HTTP_CLIENT_lean=lean sets the clients side by side.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PG_URL:?the DSN of the PostgreSQL bank}" "${PG_DATA:?the data directory of the cluster}" "${BUILDS:?name=binary ...}"
pg_ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1)
pg_ctl=${PG_CTL:-${pg_ctl:-pg_ctl}}
for r in $(seq 1 "${ROUNDS:-2}"); do
  for build in $BUILDS; do
    name=${build%%=*} bin=${build#*=}
    echo "=== round $r, $name ($bin), load ${LOAD:-person}, clients ${CLIENTS:-default}"
    benchmarks/stores/empty-tasks.sh "$PG_URL"
    su "${PG_USER:-postgres}" -c "$pg_ctl -D '$PG_DATA' -w restart -m fast" >/dev/null
    benchmarks/stores/prewarm.sh "$PG_URL"
    flags=SERVE_FLAGS_$name http=HTTP_CLIENT_$name
    # Kept whole before it is cut: head closing the pipe early would end
    # profile.sh, and this script with it.
    report=$(SERVE_FLAGS="${!flags:-}" HTTP_CLIENT="${!http:-${HTTP_CLIENT:-net}}" BIN="$bin" DURATION="${DURATION:-15s}" WARMUP="${WARMUP:-20s}" \
      PPROF="${PPROF:+$PPROF.$name.$r}" benchmarks/stores/profile.sh)
    head -"${LINES:-40}" <<<"$report"
  done
done
