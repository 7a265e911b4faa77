#!/bin/bash
# download-parallel.sh: a big LFS file over several connections at once
# ([downloads] connections-per-file) against one stream, with and without a
# per-connection cap on the CDN, on the local Hub.
#
# Usage (from the source tree, after `meson compile -C BUILD` and `npm ci` in
# tests/conformance):
#   tests/bench/download-parallel.sh BUILD
# Environment: BENCH_SIZE_MB (default 1024) the file's size; BENCH_RUNS
# (default 2) each uncapped measurement is repeated, interleaved, and the best
# kept; BENCH_CAP_CHUNK (default 1048576) and BENCH_CAP_DELAY_MS (default 20):
# the cap, the local Hub's `slow` fault on the CDN (a chunk, then a pause,
# per connection: 1 MiB every 20 ms is about 50 MB/s per connection, what a
# real CDN often allows one connection); BENCH_CAPPED=0 skips the capped part;
# BENCH_SETTLE_S (default 2) seconds of sync + pause before every measured
# download, after which memory of 1.5x the file's size is touched and freed
# (settle in bench-lib.sh).
#
# It re-runs itself under tests/harness/hubd-test-env.sh, starts the local
# Hub, uploads the file with @huggingface/hub (tests/bench/download-js.mjs),
# then measures, each cold (a fresh hubd, an empty cache or output file):
#   1. capped: `curl -o` of the CDN URL (one stream), `hubctl download`
#      (8 connections, the default), downloadFile() of the JS client;
#   2. uncapped: curl, hubd with 8 connections, and hubd with
#      connections-per-file=1 (one stream, as before parallel downloads).
# Goals: capped hubd >= 5x curl's throughput; uncapped hubd with 8
# connections no slower than with one; hubd's peak RSS <= 32 MiB.
# Not a meson test; prints one report.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

build=$(cd "${1:?usage: download-parallel.sh BUILD}" && pwd)
size_mb=${BENCH_SIZE_MB:-1024}
runs=${BENCH_RUNS:-2}
cap_chunk=${BENCH_CAP_CHUNK:-1048576}
cap_delay=${BENCH_CAP_DELAY_MS:-20}
settle_s=${BENCH_SETTLE_S:-2}

bench_in_test_env "$build"

hubctl="$build/client/hubctl"
need_js_client

# the admin secret lets cap_on and cap_off set the Hub's faults
start_hub --admin-secret bench-admin
cap_on() {
	curl -sSf -o /dev/null -X POST -H 'X-Testhub-Admin: bench-admin' \
		-H 'Content-Type: application/json' "$url/_testhub/faults" \
		-d "{\"action\":\"slow\",\"origin\":\"cdn\",\"path_regex\":\"^/lfs/\",\"times\":0,\
\"chunk_size\":$cap_chunk,\"delay_ms\":$cap_delay}"
}
cap_off() { curl -sSf -o /dev/null -X DELETE -H 'X-Testhub-Admin: bench-admin' "$url/_testhub/faults"; }

echo "fixture: a ${size_mb} MiB LFS file, uploaded with @huggingface/hub..."
big_src="$TMPDIR/big.src"
head -c "$((size_mb * 1048576))" /dev/urandom >"$big_src"
size_bytes=$(stat -c %s "$big_src")
node "$js" create "$url" "$token" alice/bench-big
node "$js" upload "$url" "$token" alice/bench-big big.bin "$big_src"
cdn_url=$(curl -sS -o /dev/null -w '%{redirect_url}' "$url/alice/bench-big/resolve/main/big.bin")
[ -n "$cdn_url" ] || { echo "download-parallel.sh: no redirect to the CDN" >&2; exit 1; }

hwm_max=0
# hubctl download into a fresh hubd started with "$@"; the seconds in run_s
# (not a subshell: hubd_pid and hwm_max must survive)
run_s=""
hubd_run() {
	local t hwm path
	start_hubd "$@"
	settle
	t=$(now)
	path=$("$hubctl" download alice/bench-big big.bin --quiet)
	run_s=$(elapsed "$t")
	hwm=$(vm_hwm_kib "$hubd_pid")
	[ "$hwm" -gt "$hwm_max" ] && hwm_max=$hwm
	check_same "$path" "hubd $*"
	rm -rf "$TMPDIR/hf-cache"
}
curl_run() {
	local t s
	settle
	t=$(now)
	curl -sS -o "$TMPDIR/curl.out" "$cdn_url"
	s=$(elapsed "$t")
	check_same "$TMPDIR/curl.out" curl
	rm -f "$TMPDIR/curl.out"
	echo "$s"
}

# ---- 1. capped per connection (one run each: a cap makes them steady) -------
cap_curl=0 cap_hubd=1 cap_js=0
if [ "${BENCH_CAPPED:-1}" != 0 ]; then
cap_on
cap_curl=$(curl_run)
hubd_run
cap_hubd=$run_s
settle
t=$(now)
node "$js" download "$url" alice/bench-big big.bin "$TMPDIR/js.out"
cap_js=$(elapsed "$t")
check_same "$TMPDIR/js.out" "@huggingface/hub"
rm -f "$TMPDIR/js.out"
cap_off
fi

# ---- 2. uncapped --------------------------------------------------------------
curl_s=""
par_s=""
one_s=""
for _ in $(seq "$runs"); do
	curl_s=$(best "$curl_s" "$(curl_run)")
	hubd_run
	par_s=$(best "$par_s" "$run_s")
	hubd_run --set downloads.connections-per-file=1
	one_s=$(best "$one_s" "$run_s")
done

row() { printf '  %-44s %8.2f s  %8.1f MiB/s\n' "$1" "$2" "$(mbps "$size_bytes" "$2")"; }
printf '\n%s MiB LFS file, cold; CDN capped at %s bytes every %s ms per connection:\n' \
	"$size_mb" "$cap_chunk" "$cap_delay"
row "curl -o (one stream)" "$cap_curl"
row "hubctl download (8 connections)" "$cap_hubd"
row "@huggingface/hub downloadFile" "$cap_js"
printf '  throughput hubd/curl: %.2fx (goal >= 5), hubd/JS: %.2fx\n' \
	"$(echo "$cap_curl / $cap_hubd" | bc -l)" "$(echo "$cap_js / $cap_hubd" | bc -l)"
printf '\nuncapped (loopback), best of %s:\n' "$runs"
row "curl -o (one stream)" "$curl_s"
row "hubctl download (8 connections)" "$par_s"
row "hubctl download, connections-per-file=1" "$one_s"
printf '  8 connections vs one: %.2fx (goal >= 1), hubd/curl: %.2fx\n' \
	"$(echo "$one_s / $par_s" | bc -l)" "$(echo "$curl_s / $par_s" | bc -l)"
printf '  hubd peak RSS (VmHWM) over all downloads: %.1f MiB (goal <= 32 MiB)\n' \
	"$(echo "$hwm_max / 1024" | bc -l)"
