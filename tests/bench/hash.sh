#!/bin/bash
# hash.sh: SHA-256 throughput of hubd's hasher (hubd_hash_file, nettle) against
# `openssl dgst -sha256` on the same file, warm in the page cache.
#
# Usage (from the source tree, after `meson compile -C BUILD`):
#   tests/bench/hash.sh BUILD
# Environment: BENCH_SIZE_MB (default 1024) the size of the file, BENCH_RUNS
# (default 3) runs of each, the best one counts; TMPDIR where the file goes.
# Goal: hubd/openssl >= 0.85. Also prints SHA-256 + git SHA-1 in one pass
# (what uploads compute). Not a meson test; prints one report.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

build=$(cd "${1:?usage: hash.sh BUILD}" && pwd)
size_mb=${BENCH_SIZE_MB:-1024}
runs=${BENCH_RUNS:-3}
bench="$build/tests/hubd-hash-bench"
[ -x "$bench" ] || { echo "hash.sh: $bench missing: build it first" >&2; exit 2; }
command -v openssl >/dev/null || { echo "hash.sh: openssl missing" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/hubd-hash-bench-XXXXXX")
trap 'rm -rf "$dir"' EXIT
file="$dir/data.bin"
random_file "$file" "$size_mb"
cat "$file" >/dev/null # into the page cache

# "wall cpu" seconds of a command (cpu = user + sys: steadier than wall time
# on a loaded machine); its stdout goes to $dir/out
measure() {
	local TIMEFORMAT='%3R %3U %3S' t
	t=$({ time "$@" >"$dir/out"; } 2>&1)
	echo "$t" | awk '{ printf "%s %.3f\n", $1, $2 + $3 }'
}
# the best (smallest) wall and cpu times of $runs runs
best_of() {
	for _ in $(seq "$runs"); do measure "$@"; done |
		awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 < c { c = $2 } END { print w, c }'
}

read -r hubd_wall hubd_cpu < <(best_of "$bench" "$file")
hubd_hex=$(cut -d' ' -f1 "$dir/out")
read -r both_wall both_cpu < <(best_of "$bench" "$file" --git)
read -r ossl_wall ossl_cpu < <(best_of openssl dgst -sha256 -r "$file")
ossl_hex=$(cut -d' ' -f1 "$dir/out")

if [ "$hubd_hex" != "$ossl_hex" ]; then
	echo "hash.sh: digests differ: hubd $hubd_hex, openssl $ossl_hex" >&2
	exit 1
fi

mbs() { echo "scale=1; $size_mb / $1" | bc -l; }
ratio() { echo "scale=3; $2 / $1" | bc -l; }
sha_ni=no
grep -qw sha_ni /proc/cpuinfo 2>/dev/null && sha_ni=yes

echo "file:                 ${size_mb} MiB, best of $runs, warm cache (CPU sha_ni: $sha_ni)"
echo "                      MiB/s wall   MiB/s cpu"
printf 'hubd sha256:          %10s  %10s\n' "$(mbs "$hubd_wall")" "$(mbs "$hubd_cpu")"
printf 'hubd sha256+git sha1: %10s  %10s\n' "$(mbs "$both_wall")" "$(mbs "$both_cpu")"
printf 'openssl dgst -sha256: %10s  %10s\n' "$(mbs "$ossl_wall")" "$(mbs "$ossl_cpu")"
printf 'ratio hubd/openssl:   %10s  %10s   (goal >= 0.85)\n' \
	"$(ratio "$hubd_wall" "$ossl_wall")" "$(ratio "$hubd_cpu" "$ossl_cpu")"
