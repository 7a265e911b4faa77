#!/bin/bash
# check-systemd-unit.sh UNIT HUBD HUBCTL: the systemd user unit is hardened,
# systemd-analyze finds nothing wrong with it, and (where a systemd user
# manager runs) hubd starts under it and answers. Exit 77 = skipped.
set -uo pipefail
unit=$1 hubd=$2 hubctl=$3
status=0

# every hardening the unit promises (README, hubd(8)) is there
for directive in 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'ProtectSystem=strict' \
	'CacheDirectory=huggingface' 'ConfigurationDirectory=hubd' 'RuntimeDirectory=hubd' \
	'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK' \
	'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' 'ProtectKernelLogs=yes' \
	'ProtectControlGroups=yes' 'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' \
	'SystemCallFilter=@system-service' 'RestrictNamespaces=yes' 'UMask=0077'; do
	grep -qxF "$directive" "$unit" || { echo "not ok: $unit lacks $directive"; status=1; }
done
# nothing may open the whole home folder again
if grep -qE '^ReadWritePaths=.*(%h|\$HOME)' "$unit"; then
	echo "not ok: $unit makes the home folder writable"
	status=1
fi

if ! command -v systemd-analyze >/dev/null; then
	echo "systemd-analyze is not installed: verification skipped"
	exit $((status == 0 ? 77 : status))
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -m 0700 "$work/run"
# verify the unit as installed, but with ExecStart= pointing at the build
sed "s|^ExecStart=.*|ExecStart=$hubd|" "$unit" >"$work/hubd.service"
if ! out=$(XDG_RUNTIME_DIR=$work/run systemd-analyze verify --user --man=no \
	"$work/hubd.service" 2>&1); then
	echo "not ok: systemd-analyze verify failed:"
	echo "$out"
	status=1
elif grep -F "hubd.service" <<<"$out"; then
	echo "not ok: systemd-analyze verify complained (above)"
	status=1
else
	echo "ok: systemd-analyze verify"
fi

# the smoke test needs a running user manager (not in containers / most CI)
if ! systemctl --user show-environment >/dev/null 2>&1; then
	echo "no systemd user manager: the smoke test under the unit is skipped"
	exit $((status == 0 ? 77 : status))
fi
name=hubd-unit-test-$$
dir=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user
mkdir -p "$dir"
sed -e "s|^ExecStart=.*|ExecStart=$hubd --replace|" "$unit" >"$dir/$name.service"
trap 'systemctl --user stop "$name" 2>/dev/null; rm -f "$dir/$name.service"; systemctl --user daemon-reload; rm -rf "$work"' EXIT
systemctl --user daemon-reload
if ! systemctl --user start "$name"; then
	echo "not ok: hubd does not start under the unit"
	journalctl --user -u "$name" --no-pager | tail -20
	exit 1
fi
if "$hubctl" status >/dev/null && [ -S "${XDG_RUNTIME_DIR}/hubd/bus" ]; then
	echo "ok: hubd runs under the unit, answers, and has its socket"
else
	echo "not ok: hubd under the unit does not answer"
	journalctl --user -u "$name" --no-pager | tail -20
	status=1
fi
exit $status
