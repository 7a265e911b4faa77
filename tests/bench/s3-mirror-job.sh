#!/bin/bash
# s3-mirror-job.sh: `hubctl mirror` (Storage.Mirror: a cached revision streamed into an S3 bucket)
# of a repo holding one big LFS file, against `aws s3 cp` of the same cached blob to the same
# server, interleaved on one run. The Hub is the local Hub (tests/testhub), the server
# @20minutes/s3rver (tests/s3), both on this machine.
#
# Usage (from the source tree, after `meson compile -C BUILD`, `npm ci` in tests/conformance and
# tests/s3):
#   tests/bench/s3-mirror-job.sh BUILD
# Environment: BENCH_SIZE_MB (default 1024) the size of the file, BENCH_RUNS (default 3) runs
# of each, the best one counts.
# It re-runs itself under tests/harness/hubd-test-env.sh (private bus and keyring, temporary
# HOME). The file is downloaded into hubd's cache once, untimed; each timed mirror goes to a
# fresh prefix, so every run puts the whole blob (a mirror of what is there puts nothing).
# Goal: hubd/awscli throughput >= 1.0. Not a meson test; prints one report.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: s3-mirror-job.sh BUILD}" && pwd)
size_mb=${BENCH_SIZE_MB:-1024}
runs=${BENCH_RUNS:-3}

if [ -z "${HUBD_TEST_ENV_BASE:-}" ]; then
	exec "$src/tests/harness/hubd-test-env.sh" "$0" "$build"
fi

token=hf_alice_write_0000000000000000000000
js="$src/tests/bench/download-js.mjs"
hubctl="$build/client/hubctl"
aws=/usr/bin/aws
[ -x "$aws" ] || { echo "s3-mirror-job.sh: Debian's awscli missing: contrib/install-deps.sh" >&2; exit 2; }
[ -d "$src/tests/s3/node_modules/@20minutes/s3rver" ] ||
	{ echo "s3-mirror-job.sh: s3rver missing: npm ci in tests/s3" >&2; exit 2; }
[ -d "$src/tests/conformance/node_modules/@huggingface/hub" ] ||
	{ echo "s3-mirror-job.sh: npm ci in tests/conformance first" >&2; exit 2; }

pids=""
trap 'kill $pids 2>/dev/null || true' EXIT

# the local Hub
"$build/tests/testhub/hubd-testhub" --root "$TMPDIR/hub" \
	--users "$src/tests/testhub/users.json" >"$TMPDIR/hub.out" 2>"$TMPDIR/hub.err" &
pids="$pids $!"
for _ in $(seq 100); do [ -s "$TMPDIR/hub.out" ] && break; sleep 0.05; done
url=$(head -n1 "$TMPDIR/hub.out")

# s3rver: its stdin stays open (a sleeping writer) until the script ends
mkfifo "$TMPDIR/s3in"
sleep infinity >"$TMPDIR/s3in" &
pids="$pids $!"
node "$src/tests/s3/s3rver.cjs" "$TMPDIR/s3" bench <"$TMPDIR/s3in" >"$TMPDIR/s3port" 2>"$TMPDIR/s3rver.log" &
pids="$pids $!"
for _ in $(seq 100); do grep -q PORT "$TMPDIR/s3port" 2>/dev/null && break; sleep 0.1; done
endpoint="http://127.0.0.1:$(awk '/PORT/ { print $2 }' "$TMPDIR/s3port")"

export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

# hubd with the bucket as backend "bench" (keys from its environment)
HF_TOKEN=$token HF_HUB_CACHE="$TMPDIR/hf-cache" "$build/daemon/hubd" --endpoint "$url" \
	--plugin-dir "$build/plugins/s3" \
	--set storage.bench.url=s3://bench --set "storage.bench.endpoint=$endpoint" \
	--set storage.bench.credentials=env >"$TMPDIR/hubd.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 100); do "$hubctl" status >/dev/null 2>&1 && break; sleep 0.05; done

echo "fixture: a ${size_mb} MiB LFS file uploaded with @huggingface/hub, then cached by hubd..."
big="$TMPDIR/big.src"
head -c "$((size_mb * 1048576))" /dev/urandom >"$big"
node "$js" create "$url" "$token" alice/bench-mirror
node "$js" upload "$url" "$token" alice/bench-mirror big.bin "$big"
blob=$("$hubctl" download alice/bench-mirror big.bin --quiet)
cmp -s "$big" "$blob" || { echo "s3-mirror-job.sh: the cached blob differs" >&2; exit 1; }

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
best() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
hubd_s="" aws_s=""
for run in $(seq "$runs"); do
	cat "$blob" >/dev/null # both start from the page cache
	sync
	t=$(now)
	"$hubctl" mirror alice/bench-mirror --to "bench/hubd-$run" >/dev/null
	hubd_s=$(best "$hubd_s" "$(elapsed "$t")")
	cat "$blob" >/dev/null
	sync
	t=$(now)
	"$aws" --endpoint-url "$endpoint" s3 cp --only-show-errors "$blob" "s3://bench/aws/run-$run"
	aws_s=$(best "$aws_s" "$(elapsed "$t")")
done

# the same bytes arrived both ways, where the mirror layout says
sha=$(sha256sum "$big" | cut -d' ' -f1)
"$aws" --endpoint-url "$endpoint" s3 cp --only-show-errors \
	"s3://bench/hubd-1/models/alice/bench-mirror/blobs/$sha" "$TMPDIR/back"
cmp -s "$big" "$TMPDIR/back" || { echo "s3-mirror-job.sh: the mirrored blob differs" >&2; exit 1; }

mbs() { echo "scale=1; $size_mb / $1" | bc -l; }
printf 'file:             %s MiB, best of %s, into s3rver on 127.0.0.1\n' "$size_mb" "$runs"
printf 'hubctl mirror:    %.3f s  %s MiB/s  (the whole job: snapshot check, head, put, tree, ref)\n' \
	"$hubd_s" "$(mbs "$hubd_s")"
printf 'aws s3 cp:        %.3f s  %s MiB/s  (%s)\n' "$aws_s" "$(mbs "$aws_s")" \
	"$("$aws" --version 2>&1 | cut -d' ' -f1)"
printf 'hubd/awscli:      %.2fx throughput (goal >= 1.0)\n' "$(echo "$aws_s / $hubd_s" | bc -l)"
