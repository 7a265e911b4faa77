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
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

build=$(cd "${1:?usage: s3-mirror-job.sh BUILD}" && pwd)
size_mb=${BENCH_SIZE_MB:-1024}
runs=${BENCH_RUNS:-3}

bench_in_test_env "$build"

hubctl="$build/client/hubctl"
aws=/usr/bin/aws
[ -x "$aws" ] || { echo "s3-mirror-job.sh: Debian's awscli missing: contrib/install-deps.sh" >&2; exit 2; }
[ -d "$src/tests/s3/node_modules/@20minutes/s3rver" ] ||
	{ echo "s3-mirror-job.sh: s3rver missing: npm ci in tests/s3" >&2; exit 2; }
need_js_client

start_hub
start_s3rver "$TMPDIR"

# hubd with the S3 plugin and the bucket as backend "bench" (keys from its environment)
hubd_plugin_dir="$build/plugins/s3"
HF_TOKEN=$token start_hubd --set storage.bench.url=s3://bench --set "storage.bench.endpoint=$endpoint" \
	--set storage.bench.credentials=env

echo "fixture: a ${size_mb} MiB LFS file uploaded with @huggingface/hub, then cached by hubd..."
big="$TMPDIR/big.src"
head -c "$((size_mb * 1048576))" /dev/urandom >"$big"
node "$js" create "$url" "$token" alice/bench-mirror
node "$js" upload "$url" "$token" alice/bench-mirror big.bin "$big"
blob=$("$hubctl" download alice/bench-mirror big.bin --quiet)
cmp -s "$big" "$blob" || { echo "s3-mirror-job.sh: the cached blob differs" >&2; exit 1; }

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
