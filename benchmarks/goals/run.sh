#!/bin/sh
# Makes a platform of USERS users (default 100,000), each with 10 active and
# 100 completed goals, on a fresh SQLite data directory (or on PostgreSQL
# when STEND_DATABASE_URL names an empty database), starts a stand on it and
# measures reads of whole goal lists (16 clients) and the mix of creations,
# edits, approvals, completions and deletions (64 clients over 10,000
# users). Usage: run.sh [stend binary]; USERS, DURATION, DATA (a directory
# to keep the SQLite stand in and reuse) change the defaults.
set -eu
cd "$(dirname "$0")/../.."
bin=${1:-}
dir=$(mktemp -d)
if [ -z "$bin" ]; then
	go build -o "$dir/stend" ./cmd/stend
	bin="$dir/stend"
fi
go build -o "$dir/goals" ./benchmarks/goals
users=${USERS:-100000}
data=${DATA:-$dir/data}
if [ ! -e "$data/generated" ]; then
	"$bin" motivity goal generate --data-dir "$data" --users "$users" --active 10 --completed 100
	"$bin" motivity token set --data-dir "$data" --token bench-public-token >/dev/null
	[ -n "${STEND_DATABASE_URL:-}" ] || touch "$data/generated"
fi
port=${PORT:-18090}
STEND_OPERATOR_TOKEN=bench "$bin" serve --addr 127.0.0.1:$port --data-dir "$data" --log-level warn >"$dir/stend.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 300); do
	curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.2
done
d=${DURATION:-30s}
echo "== GET /goals/user/{id}?type=all, 16 clients, $users users"
"$dir/goals" --base "http://127.0.0.1:$port" --mode read --clients 16 --users "$users" --duration "$d"
echo "== mix, 64 clients over 10,000 users"
"$dir/goals" --base "http://127.0.0.1:$port" --mode mix --clients 64 --mix-users "$((users < 10000 ? users : 10000))" --duration "$d"
