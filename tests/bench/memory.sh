#!/bin/bash
# memory.sh: hubd's resident memory once idle after a login and one download
# (goal <= 10 MiB VmRSS) and its peak over that work (goal <= 32 MiB VmHWM).
#
# Usage (from the source tree, after `meson compile -C BUILD`):
#   BENCH_SIZE_MB=256 tests/bench/memory.sh BUILD
# It re-runs itself under tests/harness/hubd-test-env.sh, starts the local Hub,
# uploads one LFS file of BENCH_SIZE_MB (default 256) MiB with a first hubd,
# then measures two logins, each with a fresh hubd and an empty cache:
#   1. the token in hubd's environment (HF_TOKEN: servers, containers);
#   2. a login stored in the keyring by `hubctl auth login` and read back by
#      the fresh hubd at its start (the desktop: libsecret opens an encrypted
#      session with the keyring, whose key exchange runs libgcrypt's code).
# Each time it asks who is logged in (`hubctl auth whoami`, the first Hub
# call), downloads the file, waits BENCH_IDLE_S (default 3) seconds and reads
# VmRSS and VmHWM from /proc/PID/status, next to the same figures right after
# start. hubd does its keyring work in hubd-keyring-helper, a child it starts
# when it needs the keyring and sends away when idle: the helper's runs, peak
# and lifetime are printed too. Not a meson test.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

build=$(cd "${1:?usage: memory.sh BUILD}" && pwd)
size_mb=${BENCH_SIZE_MB:-256}
idle_s=${BENCH_IDLE_S:-3}

bench_in_test_env "$build"

hubctl="$build/client/hubctl"
start_hub

file="$TMPDIR/big.bin"
head -c $((size_mb * 1024 * 1024)) /dev/urandom >"$file"
HF_TOKEN=$token start_hubd
"$hubctl" upload alice/bench-mem "$file" big.bin --no-policy --quiet >/dev/null

# watch_helpers OUT: every 50 ms, one line "PID VmHWM(KiB) MILLISECONDS" per
# keyring helper hubd has running, until hubd exits
watch_helpers() {
	local pid
	while kill -0 "$hubd_pid" 2>/dev/null; do
		for pid in $(pgrep -P "$hubd_pid" -x hubd-keyring-he); do
			echo "$pid $(vm_hwm_kib "$pid" 2>/dev/null || echo 0) $(date +%s%3N)"
		done
		sleep 0.05
	done >"$1"
}

# measure LABEL: the figures of the hubd just started, over whoami, one
# download and BENCH_IDLE_S seconds of idle
measure() {
	local rss_start rss_idle hwm anon_idle file_idle pss_idle top path helpers
	local watcher helper_now
	watch_helpers "$TMPDIR/helpers" &
	watcher=$!
	sleep "$idle_s"
	rss_start=$(status_kib "$hubd_pid" VmRSS)
	"$hubctl" auth whoami >/dev/null
	path=$("$hubctl" download alice/bench-mem big.bin --quiet)
	cmp -s "$file" "$path" || { echo "memory.sh: hubd wrote different bytes" >&2; exit 1; }
	sleep "$idle_s"
	rss_idle=$(status_kib "$hubd_pid" VmRSS)
	helper_now=$(pgrep -c -P "$hubd_pid" -x hubd-keyring-he || true)
	hwm=$(vm_hwm_kib "$hubd_pid")
	anon_idle=$(status_kib "$hubd_pid" RssAnon)
	file_idle=$(status_kib "$hubd_pid" RssFile)
	pss_idle=$(awk '$1 == "Pss:" {print $2}' "/proc/$hubd_pid/smaps_rollup")
	# the mappings that hold most of it: what to look at next
	top=$(awk '/^[0-9a-f]+-[0-9a-f]+ / {name = (NF >= 6 ? $6 : "[anon]"); next}
		$1 == "Rss:" {rss[name] += $2}
		END {for (n in rss) printf "%d %s\n", rss[n], n}' "/proc/$hubd_pid/smaps" |
		sort -rn | head -n 8)

	printf 'hubd memory, %s, one %s MiB LFS download:\n' "$1" "$size_mb"
	printf '  VmRSS after start:               %6.1f MiB\n' "$(echo "$rss_start / 1024" | bc -l)"
	printf '  VmRSS idle after the download:   %6.1f MiB (goal <= 10)\n' \
		"$(echo "$rss_idle / 1024" | bc -l)"
	printf '    of which RssAnon %.1f MiB (heap, stacks), RssFile %.1f MiB (code, libraries)\n' \
		"$(echo "$anon_idle / 1024" | bc -l)" "$(echo "$file_idle / 1024" | bc -l)"
	printf '    Pss %.1f MiB (shared library pages divided among the processes mapping them)\n' \
		"$(echo "$pss_idle / 1024" | bc -l)"
	printf '  VmHWM (peak):                    %6.1f MiB (goal <= 32)\n' \
		"$(echo "$hwm / 1024" | bc -l)"
	kill "$watcher" 2>/dev/null || true
	wait "$watcher" 2>/dev/null || true
	helpers=$(awk '{ if (!($1 in first)) { first[$1] = $3; n++ } last[$1] = $3
			if ($2 > hwm) hwm = $2 }
		END { for (p in first) if (last[p] - first[p] > life) life = last[p] - first[p]
			printf "%d run(s), peak %.1f MiB, the longest alive %.1f s", n, hwm / 1024, life / 1000 }' \
		"$TMPDIR/helpers")
	printf '  keyring helper (a child process, not in the figures above): %s; running when idle: %s\n' \
		"$helpers" "$([ "${helper_now:-0}" -gt 0 ] && echo yes || echo no)"
	printf '  largest mappings when idle (KiB):\n'
	printf '%s\n' "$top" | sed 's/^/    /'
}

HF_TOKEN=$token start_hubd
measure "token in the environment (HF_TOKEN)"

# the login goes to the keyring through one hubd; the next reads it at start
start_hubd
echo "$token" | "$hubctl" auth login --token-stdin >/dev/null
start_hubd
echo
measure "login stored in the keyring"
