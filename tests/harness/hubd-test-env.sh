#!/bin/bash
# hubd-test-env.sh CMD [ARGS...]: run one test in a world of its own.
#
# The meson test wrapper for every daemon and CLI test. It gives the test
#   - a fresh HOME and XDG_{CONFIG,DATA,CACHE,RUNTIME}_DIR (runtime dir 0700)
#     and TMPDIR, all below one temporary directory that is removed afterwards;
#   - an environment without HF_*, HUBD_SOCKET and the caller's session bus;
#   - a private session bus (dbus-run-session) with an unlocked gnome-keyring
#     (org.freedesktop.secrets) whose default collection accepts items.
# The test's exit code is propagated; the wrapper's own failures exit 99
# (meson: ERROR) with a message on stderr.
#
# Works as root (CI) and as a normal user. dbus-daemon run as root prints
# "Failed to set fd limit"; that is noise.

set -uo pipefail

readonly KEYRING_PASSWORD=hubd-test
readonly WAIT_SECONDS=10

die() {
	echo "hubd-test-env: $*" >&2
	exit 99
}

if [ "$#" -lt 1 ]; then
	die "usage: hubd-test-env.sh CMD [ARGS...]"
fi

# ---- stage 2: inside the private bus -------------------------------------
if [ "${HUBD_TEST_ENV_STAGE:-}" = "bus" ]; then
	unset HUBD_TEST_ENV_STAGE
	[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || die "dbus-run-session gave no bus address"

	keyring_pid=""
	cleanup_keyring() {
		# a test keyring has nothing to save, and it takes seconds to
		# leave on SIGTERM: SIGKILL, then wait until it is gone
		if [ -n "$keyring_pid" ] && kill -9 "$keyring_pid" 2>/dev/null; then
			for _ in $(seq 50); do
				[ -d "/proc/$keyring_pid" ] && [ "$(cut -d' ' -f3 "/proc/$keyring_pid/stat" 2>/dev/null)" != Z ] || break
				sleep 0.02
			done
		fi
		return 0
	}
	trap cleanup_keyring EXIT

	# gnome-keyring-daemon forks; the parent prints KEY=VALUE lines and exits
	keyring_env=$(echo -n "$KEYRING_PASSWORD" |
		timeout "$WAIT_SECONDS" gnome-keyring-daemon --unlock --components=secrets) ||
		die "gnome-keyring-daemon --unlock failed"
	while IFS= read -r line; do
		case "$line" in
		*=*) export "${line?}" ;;
		esac
	done <<<"$keyring_env"

	name_has_owner() {
		gdbus call --session --timeout 2 --dest org.freedesktop.DBus \
			--object-path /org/freedesktop/DBus \
			--method org.freedesktop.DBus.NameHasOwner "$1" 2>/dev/null
	}
	deadline=$((SECONDS + WAIT_SECONDS))
	until [ "$(name_has_owner org.freedesktop.secrets)" = "(true,)" ]; do
		[ "$SECONDS" -lt "$deadline" ] ||
			die "org.freedesktop.secrets has no owner after ${WAIT_SECONDS}s"
		sleep 0.05
	done
	# gdbus prints "(uint32 1234,)": the digits of "uint32" are not the pid
	# (keeping every digit gave 321234, and after a pid wrap-around 32500
	# for a keyring of pid 500: another test's process, killed below)
	keyring_pid=$(gdbus call --session --timeout 2 --dest org.freedesktop.DBus \
		--object-path /org/freedesktop/DBus \
		--method org.freedesktop.DBus.GetConnectionUnixProcessID \
		org.freedesktop.secrets 2>/dev/null | sed -n 's/^(uint32 \([0-9][0-9]*\),)$/\1/p')
	[ -n "$keyring_pid" ] || die "cannot tell the keyring's process id"

	# The default collection must exist, be unlocked and take items: the
	# first store creates "login" from the --unlock password.
	probe=hubd-test-env-probe-$$
	echo -n "$probe" | timeout "$WAIT_SECONDS" secret-tool store --label="hubd test probe" \
		hubd-test-env probe ||
		die "the keyring refuses to store an item (is the default collection unlocked?)"
	got=$(timeout "$WAIT_SECONDS" secret-tool lookup hubd-test-env probe) ||
		die "the keyring does not return the probe item"
	[ "$got" = "$probe" ] || die "the keyring returned '$got' for the probe, not '$probe'"
	timeout "$WAIT_SECONDS" secret-tool clear hubd-test-env probe ||
		die "the keyring does not delete the probe item"
	if timeout "$WAIT_SECONDS" secret-tool lookup hubd-test-env probe >/dev/null 2>&1; then
		die "the probe item survived secret-tool clear"
	fi

	# not exec: the keyring is killed once the test is done
	"$@"
	rc=$?
	exit "$rc"
fi

# ---- stage 1: a fresh home -------------------------------------------------
for tool in dbus-run-session gnome-keyring-daemon gdbus secret-tool; do
	command -v "$tool" >/dev/null || die "$tool is not installed"
done

# The other-uid socket test hands a path below $base to another user, so
# $base's parent must be traversable by others; some sandboxes make /tmp 0700.
others_can_enter() { [ -d "$1" ] && [ -w "$1" ] && [[ "$(stat -c %A "$1")" == *[xt] ]]; }
parent="${TMPDIR:-/tmp}"
if ! others_can_enter "$parent"; then
	for candidate in /var/tmp /dev/shm; do
		if others_can_enter "$candidate"; then
			parent="$candidate"
			break
		fi
	done
fi
base=$(mktemp -d "$parent/hubd-test-env.XXXXXX") || die "mktemp failed"
cleanup() {
	rc=$?
	# a test may have left read-only or foreign-mode directories behind
	chmod -R u+rwX "$base" 2>/dev/null
	rm -rf "$base"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# traversable (not listable) so a test can hand one path to another uid
chmod 0711 "$base"
mkdir -p "$base/home" "$base/config" "$base/data" "$base/cache" "$base/runtime" "$base/tmp"
chmod 0700 "$base/home" "$base/config" "$base/data" "$base/cache" "$base/runtime"
chmod 1777 "$base/tmp"

while IFS= read -r var; do
	unset "$var"
done < <(env | sed -n 's/^\(HF_[A-Za-z0-9_]*\)=.*/\1/p')
unset HUBD_SOCKET HUBD_PLUGIN_DIR DBUS_SESSION_BUS_ADDRESS DBUS_STARTER_ADDRESS \
	DBUS_STARTER_BUS_TYPE GNOME_KEYRING_CONTROL GNOME_KEYRING_PID SSH_AUTH_SOCK \
	XDG_DATA_DIRS XDG_CONFIG_DIRS HUGGING_FACE_HUB_TOKEN

export HOME="$base/home"
export XDG_CONFIG_HOME="$base/config"
export XDG_DATA_HOME="$base/data"
export XDG_CACHE_HOME="$base/cache"
export XDG_RUNTIME_DIR="$base/runtime"
export TMPDIR="$base/tmp"
export HUBD_TEST_ENV_BASE="$base"
export HUBD_TEST_ENV_STAGE=bus

# not exec: the temporary directory is removed afterwards
dbus-run-session -- "$0" "$@"
