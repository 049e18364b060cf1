#!/usr/bin/env bash
# Reruns the whole driver comparison (about 3-4 minutes on 2 cores).
# Results land in results/: bench.txt (raw go test -bench output),
# benchstat.txt (medians, modernc vs ncruces), summary.md (medians, min-max,
# ratios, CPU per op), test.txt (correctness checks), probe.txt (sustained run + RSS),
# size.txt (binary sizes), env.txt (machine and load).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p results
BENCHSTAT="go run golang.org/x/perf/cmd/benchstat@latest"

{ go version; echo "nproc $(nproc)"; grep -m1 'model name' /proc/cpuinfo || true; echo "before: $(uptime)"; } > results/env.txt

# Correctness: pragmas reach every connection, _txlock=immediate issues
# BEGIN IMMEDIATE, each workload writes/reads what it should.
go test -count=1 -v -run . ./... | grep -E '^ *--- |^(ok|FAIL|PASS)|txlock' | tee results/test.txt

# Same samples as `go test -run '^$' -bench . -benchmem -count 5`, but the
# five rounds are interleaved (modernc and ncruces run back to back in every
# round), so background load on a shared machine hits both drivers alike.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" .
: > results/bench.txt
for round in 1 2 3 4 5; do
	"$tmp/bench.test" -test.run '^$' -test.bench . -test.benchmem -test.count 1 | tee -a results/bench.txt
done
$BENCHSTAT -col /driver results/bench.txt | tee results/benchstat.txt
go run ./cmd/summary < results/bench.txt | tee results/summary.md

# One process per driver, so heap/RSS figures belong to that driver only.
: > results/probe.txt
for tags in no_ncruces no_modernc; do
	go run -tags "$tags" ./cmd/probe | tee -a results/probe.txt
	echo | tee -a results/probe.txt
done

# Size of a trivial binary (open :memory:, SELECT sqlite_version()).
{
	printf '%-28s %12s %12s\n' "binary (cmd/hello)" "default" "-s -w"
	for v in "database/sql only:no_modernc,no_ncruces" "modernc:no_ncruces" "ncruces:no_modernc"; do
		name=${v%%:*} tags=${v#*:}
		go build -tags "$tags" -o "$tmp/a" ./cmd/hello
		go build -tags "$tags" -ldflags='-s -w' -o "$tmp/b" ./cmd/hello
		awk -v n="$name" -v a="$(stat -c %s "$tmp/a")" -v b="$(stat -c %s "$tmp/b")" \
			'BEGIN { printf "%-28s %9.1f MiB %9.1f MiB\n", n, a/1048576, b/1048576 }'
	done
} | tee results/size.txt
echo "after: $(uptime)" >> results/env.txt
