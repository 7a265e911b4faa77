#!/bin/bash
# s3-mirror.sh: a put of one file into an S3 server through hubd's s3:// backend (what
# mirror-fill does with a cached blob) against `aws s3 cp` of the same file to the same server,
# interleaved on one run. The server is @20minutes/s3rver (tests/s3), on this machine.
#
# Usage (from the source tree, after `meson compile -C BUILD`):
#   tests/bench/s3-mirror.sh BUILD
# Environment: BENCH_SIZE_MB (default 1024) the size of the file, BENCH_RUNS (default 3) runs
# of each, the best one counts; S3_PARALLEL hubd's parts in flight (default 4); TMPDIR.
# Goal: hubd/awscli throughput >= 1.0. Not a meson test; prints one report.
# tests/bench/s3-mirror-job.sh measures the same through the whole Storage.Mirror job (hubctl mirror).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

build=$(cd "${1:?usage: s3-mirror.sh BUILD}" && pwd)
size_mb=${BENCH_SIZE_MB:-1024}
runs=${BENCH_RUNS:-3}
bench="$build/plugins/s3/hubd-s3-bench"
plugin="$build/plugins/s3/libhubd-s3.so"
aws=/usr/bin/aws
[ -x "$bench" ] || { echo "s3-mirror.sh: $bench missing: build it first" >&2; exit 2; }
[ -x "$aws" ] || { echo "s3-mirror.sh: Debian's awscli missing: contrib/install-deps.sh" >&2; exit 2; }
[ -d "$src/tests/s3/node_modules/@20minutes/s3rver" ] ||
	{ echo "s3-mirror.sh: s3rver missing: contrib/install-deps.sh" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/hubd-s3-bench-XXXXXX")
# the server and its stdin's writer (start_s3rver), then the folder
trap 'kill $bench_pids 2>/dev/null || true; rm -rf "$dir"' EXIT

file="$dir/blob.bin"
random_file "$file" "$size_mb"

start_s3rver "$dir"

measure() {
	local TIMEFORMAT='%3R' t
	t=$({ time "$@" >"$dir/out" 2>"$dir/err"; } 2>&1) || { cat "$dir/err" >&2; exit 1; }
	echo "$t"
}

hubd_best="" aws_best=""
for run in $(seq "$runs"); do
	cat "$file" >/dev/null # both start from the page cache
	t=$(measure "$bench" "$plugin" "$endpoint" "s3://bench/hubd" "run-$run" "$file")
	hubd_best=$(echo "$t $hubd_best" | tr ' ' '\n' | grep . | sort -g | head -1)
	cat "$file" >/dev/null
	t=$(measure "$aws" --endpoint-url "$endpoint" s3 cp --only-show-errors "$file" "s3://bench/aws/run-$run")
	aws_best=$(echo "$t $aws_best" | tr ' ' '\n' | grep . | sort -g | head -1)
done

# the same bytes arrived both ways
hubd_etag=$("$aws" --endpoint-url "$endpoint" s3api head-object --bucket bench --key hubd/run-1 \
	--query ETag --output text)
aws_etag=$("$aws" --endpoint-url "$endpoint" s3api head-object --bucket bench --key aws/run-1 \
	--query ETag --output text)
[ "$hubd_etag" = "$aws_etag" ] || { echo "s3-mirror.sh: ETags differ: $hubd_etag $aws_etag" >&2; exit 1; }

mbs() { echo "scale=1; $size_mb / $1" | bc -l; }
echo "file:               ${size_mb} MiB, best of $runs, into s3rver on 127.0.0.1"
echo "hubd s3:// put:     ${hubd_best} s  $(mbs "$hubd_best") MiB/s  (parts in flight: ${S3_PARALLEL:-4})"
echo "aws s3 cp:          ${aws_best} s  $(mbs "$aws_best") MiB/s  ($("$aws" --version 2>&1 | cut -d' ' -f1))"
echo "hubd/awscli:        $(echo "scale=2; $aws_best / $hubd_best" | bc -l)x throughput (goal >= 1.0)"
echo "fleet test:         bytes from the Hub / bytes of the model = 1.0 (hubd-s3-fleet-test asserts one CDN GET)"
