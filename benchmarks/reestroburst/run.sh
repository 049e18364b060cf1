#!/bin/sh
# Starts a stand with the demo seed on a fresh SQLite data directory (or on
# PostgreSQL when STEND_DATABASE_URL is set) and measures a burst of
# Reestro checks and a steady rate. Usage: run.sh [stend binary] [driver flags…]
set -eu
cd "$(dirname "$0")/../.."
bin=${1:-}
[ $# -gt 0 ] && shift
dir=$(mktemp -d)
if [ -z "$bin" ]; then
	go build -o "$dir/stend" ./cmd/stend
	bin="$dir/stend"
fi
go build -o "$dir/reestroburst" ./benchmarks/reestroburst
port=${PORT:-18089}
STEND_OPERATOR_TOKEN=bench "$bin" serve --addr 127.0.0.1:$port --data-dir "$dir/data" --seed demo/seed.json \
	--log-level warn >"$dir/stend.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
	curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.2
done
"$dir/reestroburst" --base "http://127.0.0.1:$port" "$@"
grep -c "wait for task" "$dir/stend.log" | sed 's/^/log lines "wait for task": /' || true
