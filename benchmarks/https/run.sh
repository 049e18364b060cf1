#!/bin/sh
# Starts a stand with HTTPS on a fresh data directory (the demo seed, the
# journal off), submits one FSSP search, and measures /status of its task
# over HTTP and HTTPS, kept alive and a connection each. Usage: run.sh
# [stend binary].
set -eu
cd "$(dirname "$0")/../.."
bin=${1:-}
dir=$(mktemp -d)
if [ -z "$bin" ]; then
	go build -o "$dir/stend" ./cmd/stend
	bin="$dir/stend"
fi
go build -o "$dir/https" ./benchmarks/https
"$bin" serve --addr 127.0.0.1:18095 --tls-addr 127.0.0.1:18096 --data-dir "$dir/data" --seed demo/seed.json \
	--journal=false --log-level warn >"$dir/stend.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 300); do
	curl -sf http://127.0.0.1:18095/readyz >/dev/null 2>&1 && break
	sleep 0.2
done
"$bin" tls ca --data-dir "$dir/data" >"$dir/ca.pem"
task=$(curl -sG http://127.0.0.1:18095/api/v1.0/search/physical --data-urlencode token=demo-fssp-token \
	--data-urlencode region=66 --data-urlencode lastname=Иванов --data-urlencode firstname=Сергей |
	grep -o '"task":"[^"]*"' | cut -d'"' -f4)
uptime
"$dir/https" --ca "$dir/ca.pem" --task "$task"
uptime
