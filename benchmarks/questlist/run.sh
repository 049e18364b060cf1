#!/usr/bin/env bash
# The list of a quest's tasks (GET /public/api/v1/quest/{id}/task) against
# the running binary, with wrk: one generated quest of 50 tasks and 20,000
# students (1,000,000 assignments), the first and the last page,
# unfiltered and by status, task and student, from 16 connections.
#   benchmarks/questlist/run.sh                  # SQLite, then PostgreSQL
#   benchmarks/questlist/run.sh sqlite           # one store
# PostgreSQL runs in a scratch database made on the server of PG_ADMIN_URL
# (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable) and
# dropped at the end. DURATION (30s) is each case's run, ROUNDS (3) how many
# times every case is run, interleaved; CONNECTIONS (16); FILTERS (default
# "all status task student") the cases. The request journal is on, as by
# default (JOURNAL=false turns it off). Each case's answer is checked
# (status, item count) before it runs; wrk counts non-2xx answers during it. On PostgreSQL
# each case also reports transactions committed per request (every
# statement outside a transaction is one: the list's round trips, plus the
# journal's batched writes).
# Prints one line per case and round, then the medians; RESULTS names the
# file of the lines (a new one in /tmp by default), the medians go beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
duration=${DURATION:-30s}
rounds=${ROUNDS:-3}
connections=${CONNECTIONS:-16}
students=${STUDENTS:-20000} # smaller to try the script
journal=${JOURNAL:-true}
read -r -a picked <<<"${FILTERS:-all status task student}"
admin=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
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
token=questlist-public-token
echo '{"motivity": {"platform": {"publicToken": "'$token'"}}}' >"$work/seed.json"
results=${RESULTS:-$(mktemp /tmp/questlist-XXXXXX.tsv)}
printf 'store\tround\tcase\tload1\trequests/s\tp50\tp99\tnon2xx\txacts/request\n' >"$results"

# The transactions committed in the scratch database once the count has
# settled: an idle backend reports its statistics within about a second,
# and the idle stand still commits a few a second (its job runner, the
# journal), so "settled" is fewer than 20 in 1.2 s, at most 10 tries.
settled_xacts() {
  [ "$store" = postgres ] || { echo 0; return; }
  local now last=-1000
  for _ in $(seq 1 10); do
    now=$(psql -Atq "$dburl" -c "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
    [ $((now - last)) -lt 20 ] && break
    last=$now
    sleep 1.2
  done
  echo "$now"
}

for store in "${stores[@]}"; do
  dbflags=(--data-dir "$work/$store")
  if [ "$store" = postgres ]; then
    scratch=stend_questlist_$$
    psql -q "$admin" -c "CREATE DATABASE $scratch"
    dburl=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$admin" "$scratch")
    dbflags+=(--database-url "$dburl")
  fi
  "$work/stend" motivity quest generate --tasks 50 --students "$students" "${dbflags[@]}" --log-level warn >"$work/quest.json" 2>/dev/null
  quest=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["questId"])' "$work/quest.json")
  task=$(python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["taskIds"]; print(t[len(t) // 2])' "$work/quest.json")
  port=$((20000 + RANDOM % 20000))
  "$work/stend" serve --addr "127.0.0.1:$port" "${dbflags[@]}" --seed "$work/seed.json" \
    --operator-token questlist-operator --journal="$journal" --log-level warn >"$work/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  base="http://127.0.0.1:$port"
  list="/public/api/v1/quest/$quest/task"
  # name, query ({student}: a different student at each request)
  filters=()
  for f in "all|" "status|status=checking" "task|taskId=$task" "student|studentId={student}"; do
    [[ " ${picked[*]} " == *" ${f%%|*} "* ]] && filters+=("$f")
  done
  for round in $(seq 1 "$rounds"); do
    for f in "${filters[@]}"; do
      name=${f%%|*}
      query=${f#*|}
      first=$(curl -fs -H "X-Auth-Token: $token" "$base$list?${query//\{student\}/user-000001@bench.example.ru}")
      read -r pages last <<<"$(python3 -c 'import json, sys; p = json.loads(sys.argv[1])["pagination"]; print(p["totalPages"], p["totalRecords"] - (p["totalPages"] - 1) * 20)' "$first")"
      for page in first last; do
        n=1 want=20
        [ "$page" = last ] && n=$pages want=$last
        path="$list?$query&page=$n"
        got=$(curl -fs -H "X-Auth-Token: $token" "$base${path//\{student\}/user-000001@bench.example.ru}" | grep -o '"studentId"' | wc -l)
        [ "$got" = "$want" ] || { echo "$name $page: $got items, want $want"; exit 1; }
        before=$(settled_xacts)
        load=$(cut -d' ' -f1 /proc/loadavg)
        out=$(QL_PATH="$path" QL_STUDENTS=$students QL_TOKEN=$token wrk -t2 -c"$connections" -d"$duration" --latency -s benchmarks/questlist/list.lua "$base")
        after=$(settled_xacts)
        python3 - "$store" "$round" "$name/$page" "$load" "$before" "$after" "$out" >>"$results" <<'PY'
import re, sys
store, rnd, case, load, before, after, out = sys.argv[1:]
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
total = int(re.search(r"(\d+) requests in", out).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
xacts = (int(after) - int(before)) / total if store == "postgres" else 0
print("\t".join([store, rnd, case, load, "%.0f" % rps, "%.2f" % ms("50%"), "%.2f" % ms("99%"),
                 non2xx.group(1) if non2xx else "0", "%.2f" % xacts]))
PY
        tail -1 "$results"
      done
    done
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  if [ -n "$scratch" ]; then psql -q "$admin" -c "DROP DATABASE $scratch"; scratch=; fi
done

echo "== medians of $rounds rounds (lines in $results)"
python3 - "$results" <<'PY' | tee "${results%.tsv}-medians.tsv"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("store\tcase\trequests/s\tp50\tp99 (rounds)\tload1\txacts/request")
seen = []
for r in rows:
    if (r["store"], r["case"]) not in seen:
        seen.append((r["store"], r["case"]))
for store, case in seen:
    rs = [r for r in rows if r["store"] == store and r["case"] == case]
    med = lambda k: statistics.median(float(r[k]) for r in rs)
    print("%s\t%s\t%.0f\t%.2f\t%.2f (%s)\t%s\t%.2f" % (store, case, med("requests/s"), med("p50"), med("p99"),
          ", ".join(r["p99"] for r in rs), "–".join(sorted({r["load1"] for r in rs}, key=float)[::max(1, len(rs) - 1)]),
          med("xacts/request")))
PY
