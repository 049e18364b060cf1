#!/usr/bin/env bash
# Empties a bench bank's FSSP tasks, their results and the journal, so that
# each run starts as the one before it did:
#   benchmarks/stores/empty-tasks.sh postgres://…/bank   (any DSN psql takes)
#   benchmarks/stores/empty-tasks.sh /…/sqlite-data-dir   (no node running on it)
# A session's runs keep every task for the day of retention: here the task
# results of an afternoon's runs grew to 6 GB on PostgreSQL, more than the
# bank, and the prewarm before a run read them into shared buffers in the
# bank's place; a journal that reaches --journal-keep starts pruning, which
# would fall on the later runs only. Shared by run.sh and ab.sh.
set -euo pipefail
: "${1:?a PostgreSQL DSN or a SQLite data directory}"
if [ ! -d "$1" ]; then
  psql -X -q -d "$1" -v ON_ERROR_STOP=1 -c 'TRUNCATE fssp_task_results, fssp_tasks, journal' >/dev/null
else
  python3 - "$1/stend.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA foreign_keys = ON")
db.executescript("DELETE FROM fssp_task_results; DELETE FROM fssp_tasks; DELETE FROM journal;")
db.commit()
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.close()
PY
fi
