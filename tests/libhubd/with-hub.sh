#!/bin/bash
# with-hub.sh CMD [ARGS...]: run CMD against the local Hub, through hubd.
#
# For the libhubd tests and examples written in Python and GJS, which have no
# C harness: inside hubd-test-env.sh (private bus, unlocked keyring), this
# starts the local Hub (HUBD_TEST_TESTHUB) and the build-tree hubd
# (HUBD_TEST_HUBD) on the session bus pointed at it, logs alice in with her
# write token through hubctl (the token on stdin, never argv), then runs CMD
# with HUBD_TEST_HUB_URL set. Everything it started is stopped afterwards;
# CMD's exit code is returned (99 when the setup itself failed).
set -uo pipefail

die() {
	echo "with-hub: $*" >&2
	[ -f "${work:-}/hubd.log" ] && sed 's/^/hubd: /' "$work/hubd.log" >&2
	exit 99
}

: "${HUBD_TEST_HUBD:?}" "${HUBD_TEST_TESTHUB:?}" "${HUBD_TEST_HUBCTL:?}" "${HUBD_TEST_USERS:?}"
work=$(mktemp -d) || die "mktemp failed"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

exec 3< <(exec "$HUBD_TEST_TESTHUB" --root "$work/hub" --users "$HUBD_TEST_USERS")
pids+=($!)
read -r -t 20 url <&3 || die "the local Hub printed no URL"
export HUBD_TEST_HUB_URL="$url"

# the test plugin too: the Python test calls its interface as an app calls a plugin's
"$HUBD_TEST_HUBD" --endpoint "$url" --verbose \
	${HUBD_TEST_PLUGIN_DIR:+--plugin-dir "$HUBD_TEST_PLUGIN_DIR"} >"$work/hubd.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do
	"$HUBD_TEST_HUBCTL" status >/dev/null 2>&1 && break
	sleep 0.1
done
"$HUBD_TEST_HUBCTL" status >/dev/null 2>&1 || die "hubd did not come up"

token=$(python3 -c 'import json,sys; u=[u for u in json.load(open(sys.argv[1]))["users"] if u["name"]=="alice"][0]; print([t for t in u["tokens"] if t["role"]=="write"][0]["token"])' "$HUBD_TEST_USERS") ||
	die "no token for alice in $HUBD_TEST_USERS"
printf '%s' "$token" | "$HUBD_TEST_HUBCTL" auth login --token-stdin >/dev/null ||
	die "hubctl auth login failed"

"$@"
rc=$?
[ "$rc" -eq 0 ] || sed 's/^/hubd: /' "$work/hubd.log" | tail -40 >&2
exit "$rc"
