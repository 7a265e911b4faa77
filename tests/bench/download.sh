#!/bin/bash
# download.sh: download throughput and memory of hubd against curl and the
# official JS client (@huggingface/hub), on the local Hub.
#
# Usage (from the source tree, after `meson compile -C BUILD` and `npm ci` in
# tests/conformance):
#   tests/bench/download.sh BUILD
# Environment: BENCH_SIZE_MB (default 1024) the size of the big LFS file,
# BENCH_FILES (default 1000) the number of small files, BENCH_WORKERS (default
# 8) files at once for both snapshot clients, BENCH_RUNS (default 3): each big
# file measurement is repeated, interleaved, and the best time kept (a shared
# or busy machine makes single runs noisy); BENCH_SETTLE_S (default 3)
# seconds of sync + pause before every measured download, after which memory
# of 1.5x the file's size is touched and freed (settle in bench-lib.sh).
#
# It re-runs itself under tests/harness/hubd-test-env.sh (private session bus, unlocked
# keyring, temporary HOME), starts the local Hub and uploads the fixtures with
# @huggingface/hub's uploadFiles (tests/bench/download-js.mjs), then measures,
# each one cold (an empty cache, a fresh output file):
#   1. one BENCH_SIZE_MB LFS file: `hubctl download` (a fresh hubd, empty
#      HF_HUB_CACHE) vs `curl -o` of the same CDN URL vs downloadFile() to disk;
#      plus hubd's peak RSS (VmHWM) over that download, and hubd again with
#      [downloads] direct-io=true (O_DIRECT, around the page cache);
#      the floor (the larger of curl's time and `openssl dgst -sha256` of the
#      file: hubd verifies what curl does not); and the time to first use,
#      each download plus one full read of the file (`cat FILE >/dev/null`),
#      as an app that loads the model right after it arrives; and the CPU
#      time curl, hubd and the local Hub used on the fastest runs, with the
#      shortest time that much CPU allows on this machine's cores;
#   2. BENCH_FILES small files: `hubctl download` (Snapshot) vs JS
#      downloadFileToCacheDir() BENCH_WORKERS at a time.
# Goals: hubd/curl >= 0.9, hubd within 1.05x of the floor, hubd peak RSS <=
# 32 MiB, small files faster than JS.
# Not a meson test; prints one report.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

build=$(cd "${1:?usage: download.sh BUILD}" && pwd)
size_mb=${BENCH_SIZE_MB:-1024}
n_files=${BENCH_FILES:-1000}
workers=${BENCH_WORKERS:-8}
runs=${BENCH_RUNS:-3}
settle_s=${BENCH_SETTLE_S:-3}

bench_in_test_env "$build"

hubctl="$build/client/hubctl"
need_js_client

start_hub
# start_hubd (bench-lib.sh) gives a fresh hubd with an empty cache, so every
# measured download is cold

# ---- fixtures ----------------------------------------------------------------
echo "fixtures: a ${size_mb} MiB LFS file and ${n_files} small files, uploaded with @huggingface/hub..."
big_src="$TMPDIR/big.src"
head -c "$((size_mb * 1048576))" /dev/urandom >"$big_src"
size_bytes=$(stat -c %s "$big_src")
node "$js" create "$url" "$token" alice/bench-big
node "$js" upload "$url" "$token" alice/bench-big big.bin "$big_src"
node "$js" create "$url" "$token" alice/bench-small
node "$js" upload-many "$url" "$token" alice/bench-small "$n_files" 1024
# the CDN URL the Hub redirects to, for curl
cdn_url=$(curl -sS -o /dev/null -w '%{redirect_url}' "$url/alice/bench-big/resolve/main/big.bin")
[ -n "$cdn_url" ] || { echo "download.sh: no redirect to the CDN for big.bin" >&2; exit 1; }

# ---- 1. one big file ---------------------------------------------------------
# one full read of a file, as an app loading it
read_s() {
	local t
	t=$(now)
	cat "$1" >/dev/null
	elapsed "$t"
}
curl_s=""
hubd_s=""
direct_s=""
sha_s=""
curl_use_s=""
hubd_use_s=""
direct_use_s=""
js_s=""
hwm_before=""
hwm_after=0
# CPU seconds on the fastest run of each: the client, and the local Hub serving it
curl_cpu=""
curl_hub_cpu=""
hubd_cpu=""
hubd_hub_cpu=""
# bash's `time` prints curl's user and system seconds
TIMEFORMAT='%3U %3S'
# settle (bench-lib.sh) before each client: written back, a pause, and memory
# touched and freed, so that every client's page cache comes from pages the
# VM's host still backs
for _ in $(seq "$runs"); do
	start_hubd
	settle
	h0=$(cpu_s "$hub_pid")
	t=$(now)
	# time's line goes to curl.cpu, curl's own messages to the terminal
	{ time curl -sS -o "$TMPDIR/curl.out" "$cdn_url" 2>&3; } 3>&2 2>"$TMPDIR/curl.cpu"
	dl=$(elapsed "$t")
	if [ "$(best "$curl_s" "$dl")" = "$dl" ]; then
		curl_cpu=$(awk '{print $1 + $2}' "$TMPDIR/curl.cpu")
		curl_hub_cpu=$(echo "$(cpu_s "$hub_pid") - $h0" | bc -l)
	fi
	curl_s=$(best "$curl_s" "$dl")
	curl_use_s=$(best "$curl_use_s" "$(echo "$dl + $(read_s "$TMPDIR/curl.out")" | bc -l)")
	t=$(now)
	openssl dgst -sha256 "$TMPDIR/curl.out" >/dev/null
	sha_s=$(best "$sha_s" "$(elapsed "$t")")
	check_same "$TMPDIR/curl.out" curl
	rm -f "$TMPDIR/curl.out"

	hwm=$(vm_hwm_kib "$hubd_pid")
	hwm_before=${hwm_before:-$hwm}
	settle
	h0=$(cpu_s "$hub_pid")
	d0=$(cpu_s "$hubd_pid")
	t=$(now)
	hubd_path=$("$hubctl" download alice/bench-big big.bin --quiet)
	dl=$(elapsed "$t")
	if [ "$(best "$hubd_s" "$dl")" = "$dl" ]; then
		hubd_cpu=$(echo "$(cpu_s "$hubd_pid") - $d0" | bc -l)
		hubd_hub_cpu=$(echo "$(cpu_s "$hub_pid") - $h0" | bc -l)
	fi
	hubd_s=$(best "$hubd_s" "$dl")
	hubd_use_s=$(best "$hubd_use_s" "$(echo "$dl + $(read_s "$hubd_path")" | bc -l)")
	hwm=$(vm_hwm_kib "$hubd_pid")
	[ "$hwm" -gt "$hwm_after" ] && hwm_after=$hwm
	check_same "$hubd_path" hubd
	rm -rf "$TMPDIR/hf-cache"

	# the same around the page cache (O_DIRECT), the other mode
	start_hubd --set downloads.direct-io=true
	settle
	t=$(now)
	hubd_path=$("$hubctl" download alice/bench-big big.bin --quiet)
	dl=$(elapsed "$t")
	direct_s=$(best "$direct_s" "$dl")
	direct_use_s=$(best "$direct_use_s" "$(echo "$dl + $(read_s "$hubd_path")" | bc -l)")
	check_same "$hubd_path" "hubd (direct-io=true)"
	rm -rf "$TMPDIR/hf-cache"

	settle
	t=$(now)
	node "$js" download "$url" alice/bench-big big.bin "$TMPDIR/js.out"
	js_s=$(best "$js_s" "$(elapsed "$t")")
	check_same "$TMPDIR/js.out" "@huggingface/hub"
	rm -f "$TMPDIR/js.out"
done

# ---- 2. many small files -----------------------------------------------------
start_hubd
t=$(now)
snap=$("$hubctl" download alice/bench-small --quiet --max-workers "$workers")
hubd_small_s=$(elapsed "$t")
got=$(find "$snap/small" -name '*.txt' | wc -l)
[ "$got" -eq "$n_files" ] || { echo "download.sh: hubd fetched $got of $n_files files" >&2; exit 1; }

t=$(now)
js_count=$(node "$js" snapshot "$url" alice/bench-small "$TMPDIR/js-cache" "$workers")
js_small_s=$(elapsed "$t")
[ "$js_count" -ge "$n_files" ] || { echo "download.sh: JS fetched $js_count files" >&2; exit 1; }

# ---- report ------------------------------------------------------------------
printf '\n%s MiB LFS file, cold (%s bytes), best of %s:\n' "$size_mb" "$size_bytes" "$runs"
printf '  %-40s %8.2f s  %8.1f MiB/s\n' "curl -o (CDN URL)" "$curl_s" "$(mbps "$size_bytes" "$curl_s")"
printf '  %-40s %8.2f s  %8.1f MiB/s\n' "hubctl download (hubd)" "$hubd_s" "$(mbps "$size_bytes" "$hubd_s")"
printf '  %-40s %8.2f s  %8.1f MiB/s\n' "hubd, [downloads] direct-io=true" "$direct_s" \
	"$(mbps "$size_bytes" "$direct_s")"
printf '  %-40s %8.2f s  %8.1f MiB/s\n' "@huggingface/hub downloadFile" "$js_s" "$(mbps "$size_bytes" "$js_s")"
printf '  throughput hubd/curl: %.2f (goal >= 0.90; %.2f with direct-io=true), hubd/JS: %.2f\n' \
	"$(echo "$curl_s / $hubd_s" | bc -l)" "$(echo "$curl_s / $direct_s" | bc -l)" \
	"$(echo "$js_s / $hubd_s" | bc -l)"
floor_s=$(echo "if ($curl_s > $sha_s) $curl_s else $sha_s" | bc -l)
printf '  %-40s %8.2f s\n' "openssl dgst -sha256 (the file)" "$sha_s"
printf '  hubd / floor (the larger of curl and sha256): %.2f (goal <= 1.05; %.2f with direct-io=true)\n' \
	"$(echo "$hubd_s / $floor_s" | bc -l)" "$(echo "$direct_s / $floor_s" | bc -l)"
cores=$(nproc)
hubd_min_s=$(echo "($hubd_cpu + $hubd_hub_cpu) / $cores" | bc -l)
printf '  CPU seconds (user + system) on the fastest runs: curl %.2f + the local Hub %.2f;' \
	"$curl_cpu" "$curl_hub_cpu"
printf ' hubd %.2f + the local Hub %.2f\n' "$hubd_cpu" "$hubd_hub_cpu"
printf '  with %s cores, that much CPU takes at least %.2f s: hubd took %.2fx that\n' \
	"$cores" "$hubd_min_s" "$(echo "$hubd_s / $hubd_min_s" | bc -l)"
printf '  time to first use (download + cat FILE >/dev/null): curl %.2f s, hubd %.2f s (page cache, the default), %.2f s (O_DIRECT)\n' \
	"$curl_use_s" "$hubd_use_s" "$direct_use_s"
printf '  hubd peak RSS (VmHWM): %.1f MiB at start, %.1f MiB at most after the download (goal <= 32 MiB)\n' \
	"$(echo "$hwm_before / 1024" | bc -l)" "$(echo "$hwm_after / 1024" | bc -l)"
printf '\n%s small files (1 KiB), snapshot, %s at a time, cold:\n' "$n_files" "$workers"
printf '  %-40s %8.2f s  %8.1f files/s\n' "hubctl download (hubd)" "$hubd_small_s" \
	"$(echo "$n_files / $hubd_small_s" | bc -l)"
printf '  %-40s %8.2f s  %8.1f files/s\n' "@huggingface/hub downloadFileToCacheDir" "$js_small_s" \
	"$(echo "$n_files / $js_small_s" | bc -l)"
printf '  speed-up hubd vs JS: %.2fx (goal > 1)\n' "$(echo "$js_small_s / $hubd_small_s" | bc -l)"
