#!/usr/bin/env bash
# Reads the PostgreSQL bank's tables and indexes into shared buffers
# (pg_prewarm, created in the bank's database if missing), so that a run
# measures the server and not the disk:
#   benchmarks/stores/prewarm.sh postgres://…/bank
# Shared by run.sh and ab.sh.
set -euo pipefail
psql -X -q -d "${1:?the DSN of the PostgreSQL bank}" -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS pg_prewarm' \
  -c "SELECT sum(pg_prewarm(c.oid::regclass)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i')" >/dev/null
