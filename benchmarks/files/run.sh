#!/usr/bin/env bash
# Motivity files, the figures of docs/motivity-files.md: a SIZE upload over
# loopback to local disk as a ratio to dd writing as much with conv=fsync
# to the same disk in the same run, and the server's peak RSS growth; 64
# concurrent 1 MB uploads; a SIZE download with curl; with S3=1, an upload
# of S3_SIZE (2 GiB: the S3 server, not the stand, sets the pace) into
# SeaweedFS (.ci/run's build) as a ratio to minio-go's own streaming upload
# of as many bytes (benchmarks/s3client).
#
#   SIZE=10737418240 DIR=/var/tmp/stend-files-bench benchmarks/files/run.sh
#   S3=1 LOCAL=0 benchmarks/files/run.sh   # the S3 part alone
#
# DIR needs three times SIZE free. Rounds alternate dd and the upload, so
# that both see the disk in the same state.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE=${SIZE:-10737418240}
DIR=${DIR:-/var/tmp/stend-files-bench}
ROUNDS=${ROUNDS:-2}
PORT=${PORT:-18080}
mkdir -p "$DIR"
go build -o "$DIR/stend" ./cmd/stend
go build -o "$DIR/uploads" ./benchmarks/files
echo '{"motivity":{"platform":{"publicToken":"bench-token"}}}' >"$DIR/seed.json"
if [ "$(stat -c %s "$DIR/src.mp4" 2>/dev/null || echo 0)" != "$SIZE" ]; then
  head -c "$SIZE" /dev/urandom >"$DIR/src.mp4"
fi

serve() { # extra flags of stend serve
  rm -rf "$DIR/data"
  STEND_SECRET=bench-secret-0123456789 "$DIR/stend" serve --addr 127.0.0.1:$PORT --data-dir "$DIR/data" \
    --seed "$DIR/seed.json" --log-level warn "$@" >"$DIR/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && return; sleep 0.2; done
  cat "$DIR/serve.log"; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
hwm() { awk '/VmHWM/ {print $2}' "/proc/$pid/status"; }
upload() { # [file]; prints seconds
  curl -sf -o /dev/null -w '%{time_total}\n' -H 'X-Auth-Token: bench-token' \
    -F "file=@${1:-$DIR/src.mp4};type=video/mp4" "http://127.0.0.1:$PORT/public/api/v1/file/upload"
}

if [ "${LOCAL:-1}" = 1 ]; then # LOCAL=0: the S3 part alone
serve
before=$(hwm)
for round in $(seq 1 "$ROUNDS"); do
  /usr/bin/time -f %e -o "$DIR/dd.time" dd if=/dev/zero of="$DIR/dd.out" bs=1M count=$((SIZE >> 20)) conv=fsync 2>/dev/null
  dd_s=$(cat "$DIR/dd.time")
  rm -f "$DIR/dd.out"
  up_s=$(upload)
  awk -v s="$SIZE" -v d="$dd_s" -v u="$up_s" -v r="$round" 'BEGIN {
    printf "round %d: dd %.1f s (%.0f MB/s), upload %.1f s (%.0f MB/s): %.2f of dd\n", r, d, s/d/1e6, u, s/u/1e6, d/u }'
  rm -rf "$DIR/data/blobs/motivity"
done
echo "peak RSS: $((before >> 10)) MB before the uploads, $(( $(hwm) >> 10 )) MB after"
upload >/dev/null # the rounds' files were removed: one to download
link=$(curl -sf -X POST -H 'X-Auth-Token: bench-token' "http://127.0.0.1:$PORT/public/api/v1/file/$((ROUNDS + 1))" | sed 's/.*"file":"\([^"]*\)".*/\1/')
for _ in 1 2; do
  curl -sf -o /dev/null -w 'download: %{size_download} bytes at %{speed_download} B/s\n' "$link"
done
"$DIR/uploads" -url "http://127.0.0.1:$PORT" -token bench-token -c 64 -n 2048 -size 1048576
stop
fi

if [ "${S3:-}" = 1 ]; then
  S3_SIZE=${S3_SIZE:-2147483648}
  head -c "$S3_SIZE" "$DIR/src.mp4" >"$DIR/s3src.mp4"
  weed=$(ls -d /var/cache/stend-ci/weed-*/weed | head -1)
  s3=$DIR/s3; rm -rf "$s3"; mkdir -p "$s3/data"
  export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-key AWS_ENDPOINT_URL=http://127.0.0.1:18433
  echo '{"identities":[{"name":"bench","credentials":[{"accessKey":"bench","secretKey":"bench-secret-key"}],"actions":["Admin","Read","Write","List","Tagging"]}]}' >"$s3/s3.json"
  # -volume.max 0: as many volumes as the disk holds (the default 8 ran
  # out after 20 GB in two buckets). Ports beside .ci/run's, which may run
  # at the same time.
  "$weed" server -dir="$s3/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.port=19433 -volume.port=19440 -volume.max=0 \
    -filer.port=19988 -s3 -s3.port=18433 -s3.config="$s3/s3.json" >"$s3/weed.log" 2>&1 &
  weed_pid=$!
  for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/18433) 2>/dev/null && break; sleep 1; done
  kill -0 "$weed_pid" || { cat "$s3/weed.log"; exit 1; }
  serve --blob-store s3 --s3-endpoint http://127.0.0.1:18433 --s3-bucket bench
  upload "$DIR/s3src.mp4" >/dev/null # the server's first volumes are made on the first write
  before=$(hwm)
  for round in $(seq 1 "$ROUNDS"); do
    up_s=$(upload "$DIR/s3src.mp4")
    lib=$(cd benchmarks/s3client && go run . -client minio -bucket bench -size "$S3_SIZE")
    echo "round $round: stend into S3 $up_s s ($(awk -v s="$S3_SIZE" -v u="$up_s" 'BEGIN {printf "%.0f", s/u/1e6}') MB/s); minio-go alone: $lib"
  done
  echo "peak RSS with S3: $((before >> 10)) MB after the first upload, $(( $(hwm) >> 10 )) MB after the rounds"
  stop
  kill "$weed_pid"; wait "$weed_pid" 2>/dev/null || true
  rm -rf "$s3"
fi
