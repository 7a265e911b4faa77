# bench-lib.sh: what the benchmark scripts in tests/bench share. Sourced, not run:
#   . "$(dirname "$0")/bench-lib.sh"
# right after `set -euo pipefail`; everything here works under it. Sourcing only
# defines: it starts nothing and sets no trap. The script sets build (the meson
# build directory) before it starts anything, big_src for check_same and
# settle_s for settle. This file sets src (the source tree), bench_name (the
# script's file name, for messages), token and js; start_hub sets url and
# hub_pid, start_hubd hubd_pid, start_s3rver endpoint.
# shellcheck shell=bash disable=SC2154 # build, big_src, settle_s: the script's

# the source tree, two levels above this file (as the scripts found it from their own path)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# error messages name the script that failed, not this file
bench_name=$(basename "$0")
hubd_pid=""
hub_pid=""
bench_pids=""
# alice's write token on the local Hub (tests/testhub/users.json)
# shellcheck disable=SC2034 # for the scripts
token=hf_alice_write_0000000000000000000000
# the official JS client's side of a comparison, and the fixtures it uploads
# shellcheck disable=SC2034 # for the scripts
js="$src/tests/bench/download-js.mjs"

# bench_in_test_env ARGS...: run the calling script again with ARGS under
# tests/harness/hubd-test-env.sh (a private session bus, an unlocked keyring, a
# temporary HOME and TMPDIR), unless it already runs there; hubd needs the bus
# and keyring, and nothing a benchmark writes may land in the caller's HOME
bench_in_test_env() {
	[ -n "${HUBD_TEST_ENV_BASE:-}" ] && return 0
	exec "$src/tests/harness/hubd-test-env.sh" "$0" "$@"
}

# need_js_client: stop unless @huggingface/hub is installed, before anything
# is started or written
need_js_client() {
	[ -d "$src/tests/conformance/node_modules/@huggingface/hub" ] ||
		{ echo "$bench_name: run 'npm ci' in tests/conformance first" >&2; exit 2; }
}

# kill_at_exit PID...: end these processes with the script, however it exits
# (start_hub sets the trap that reads this list)
kill_at_exit() { bench_pids="$bench_pids $*"; }

# start_hub [HUBD-TESTHUB OPTIONS...]: the local Hub in the background, storing
# under $TMPDIR/hub, with the test users; sets url to its URL, the first line it
# prints, and hub_pid to its process. The EXIT trap ends it, hubd (the one
# running then: start_hubd replaces it, so the trap reads hubd_pid when it
# fires) and all of kill_at_exit.
# shellcheck disable=SC2120 # the options are optional
start_hub() {
	"$build/tests/testhub/hubd-testhub" --root "$TMPDIR/hub" \
		--users "$src/tests/testhub/users.json" "$@" >"$TMPDIR/hub.out" 2>"$TMPDIR/hub.err" &
	hub_pid=$!
	kill_at_exit "$hub_pid"
	trap 'kill $bench_pids $hubd_pid 2>/dev/null || true' EXIT
	for _ in $(seq 100); do
		[ -s "$TMPDIR/hub.out" ] && break
		sleep 0.05
	done
	url=$(head -n1 "$TMPDIR/hub.out")
}

# start_hubd [HUBD OPTIONS...]: a fresh hubd on the local Hub with an empty
# cache ($TMPDIR/hf-cache), so that nothing a previous run fetched is reused;
# the previous one is stopped first (one name on the bus). No plugins: its
# plugin directory is $TMPDIR/none unless the caller sets hubd_plugin_dir.
# Environment for hubd goes before the call (HF_TOKEN=... start_hubd). Returns
# once `hubctl status` answers; after 5 s, prints hubd's log and exits 1.
# shellcheck disable=SC2120 # the options are optional
start_hubd() {
	[ -n "$hubd_pid" ] && { kill "$hubd_pid" 2>/dev/null || true; wait "$hubd_pid" 2>/dev/null || true; }
	rm -rf "$TMPDIR/hf-cache"
	HF_HUB_CACHE="$TMPDIR/hf-cache" "$build/daemon/hubd" --endpoint "$url" \
		--plugin-dir "${hubd_plugin_dir:-$TMPDIR/none}" "$@" >"$TMPDIR/hubd.log" 2>&1 &
	hubd_pid=$!
	for _ in $(seq 100); do
		"$build/client/hubctl" status >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "$bench_name: hubd did not start; its log:" >&2
	cat "$TMPDIR/hubd.log" >&2
	exit 1
}

# start_s3rver DIR: @20minutes/s3rver (tests/s3) with a bucket "bench", storing
# under DIR/s3; sets endpoint to its URL and exports the keys it accepts for
# awscli and hubd. It exits when its stdin closes, so a sleeping writer holds
# that open until the script ends (both are in kill_at_exit).
start_s3rver() {
	mkfifo "$1/s3in"
	sleep infinity >"$1/s3in" &
	kill_at_exit "$!"
	node "$src/tests/s3/s3rver.cjs" "$1/s3" bench <"$1/s3in" >"$1/s3port" 2>"$1/s3rver.log" &
	kill_at_exit "$!"
	for _ in $(seq 100); do grep -q PORT "$1/s3port" 2>/dev/null && break; sleep 0.1; done
	# shellcheck disable=SC2034 # for the script
	endpoint="http://127.0.0.1:$(awk '/PORT/ { print $2 }' "$1/s3port")"
	export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
	export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
}

# random_file FILE MIB: MIB MiB of incompressible bytes, fast (an AES-CTR
# keystream: /dev/urandom is several times slower); exits 2 if FILE did not get
# them all
random_file() {
	openssl enc -aes-128-ctr -pass pass:hubd -nosalt -pbkdf2 </dev/zero 2>/dev/null |
		head -c "$(($2 * 1024 * 1024))" >"$1" || true # openssl dies of SIGPIPE
	[ "$(stat -c %s "$1")" -eq "$(($2 * 1024 * 1024))" ] ||
		{ echo "$bench_name: cannot write $1" >&2; exit 2; }
}

# wall-clock time, in seconds with nanoseconds, for elapsed
now() { date +%s.%N; }
# elapsed T0: seconds since T0 (from now); bc, since bash has no floats
elapsed() { echo "$(now) - $1" | bc -l; }
# mbps BYTES SECONDS: throughput in MiB/s
mbps() { echo "$1 / 1048576 / $2" | bc -l; }
# best OLD NEW: the smaller of two times, OLD empty at first: runs are repeated
# and the fastest kept, since a shared machine only ever slows a run down
best() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
# cpu_s PID: the CPU time (user + system) a running process has used so far,
# in seconds (/proc/PID/stat fields 14 and 15, counted after the ")" that ends
# the command name, which may hold spaces)
cpu_s() {
	local f
	f=$(sed 's/.*) //' "/proc/$1/stat")
	echo "$f" | awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($12 + $13) / hz}'
}

# status_kib PID FIELD: a field of /proc/PID/status in KiB (VmRSS, VmHWM, RssAnon...)
status_kib() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }
# vm_hwm_kib PID: a process's peak resident memory so far, in KiB
vm_hwm_kib() { status_kib "$1" VmHWM; }

# check_same FILE WHO: FILE must hold the fixture's bytes ($big_src); else stop,
# naming WHO wrote it
check_same() {
	cmp -s "$big_src" "$1" || { echo "$bench_name: $2 wrote different bytes" >&2; exit 1; }
}

# settle: before each measured download, every client starts from the same
# state. Dirty pages are written back, then a pause of settle_s seconds (the
# script sets it, from BENCH_SETTLE_S or its own default).
# Then memory of 1.5x the benchmark file (BENCH_SIZE_MB, default 1024 MiB) is
# touched and freed: zeros written to a file in /dev/shm, which is deleted.
# This VM hands memory the guest frees back to its host (virtio-balloon free
# page reporting, about 2 s after the free), and the guest kernel's first touch
# of such memory costs a fault on the host per page: that moved curl's 1 GiB
# download between 0.63 and 1.39 s on the same machine (0.63-0.70 s once
# warmed). The pause alone leaves time for that report, so the next client
# would fill its page cache with pages the host no longer backs. Memory touched
# and freed just before a run is what the next allocations get, so every
# client's page cache comes from pages the host still backs, and every client
# is measured in the same state. Skipped, silently, where /dev/shm is not
# writable or has not the room (its free space, and MemAvailable).
settle() {
	sync
	sleep "$settle_s"
	local mib=$((${BENCH_SIZE_MB:-1024} * 3 / 2)) shm_kib avail_kib f
	[ -d /dev/shm ] && [ -w /dev/shm ] || return 0
	shm_kib=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 {print $4}')
	avail_kib=$(awk '$1 == "MemAvailable:" {print $2}' /proc/meminfo)
	[ "${shm_kib:-0}" -gt $((mib * 1024)) ] && [ "${avail_kib:-0}" -gt $((mib * 1024)) ] || return 0
	f=$(mktemp /dev/shm/hubd-bench-settle.XXXXXX 2>/dev/null) || return 0
	# unlinked while open, so an interrupted run leaves nothing in /dev/shm
	# shellcheck disable=SC2094 # removed, then written through the open file
	{ rm -f "$f"; dd if=/dev/zero bs=1M count="$mib" status=none 2>/dev/null || true; } >"$f"
}
