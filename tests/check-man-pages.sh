#!/bin/bash
# check-man-pages.sh HUBCTL PAGE...: every page renders without a warning
# (man -l, else groff), has its NAME and SEE ALSO, and hubctl(1) names every
# command of `hubctl --help` and every subcommand of every group.
set -uo pipefail
hubctl=$1
shift
status=0

render()
{
	if command -v man >/dev/null; then
		MANWIDTH=200 LC_ALL=C.UTF-8 man --warnings -l "$1"
	else
		groff -man -Tutf8 -ww "$1"
	fi
}

for page in "$@"; do
	out=$(render "$page" 2>"$page.warnings")
	if [ -s "$page.warnings" ]; then
		echo "not ok: $page renders with warnings:"
		cat "$page.warnings"
		status=1
	fi
	rm -f "$page.warnings"
	for section in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
		grep -qx "$section" <<<"$out" || { echo "not ok: $page lacks $section"; status=1; }
	done
	case $page in *hubctl.1) hubctl_page=$out ;; esac
done
[ -n "${hubctl_page:-}" ] || { echo "not ok: no hubctl.1 among the pages"; exit 1; }

help() { LANGUAGE= LC_ALL=C.UTF-8 "$hubctl" "$@" --help 2>/dev/null; }
commands=$(help | awk '/^Commands:/ {on = 1; next} on && /^$/ {exit} on {print $1}')
[ -n "$commands" ] || { echo "not ok: no commands in hubctl --help"; exit 1; }
for cmd in $commands; do
	if ! grep -qE "^ *hubctl $cmd( |$)" <<<"$hubctl_page"; then
		echo "not ok: hubctl(1) does not describe 'hubctl $cmd'"
		status=1
	fi
	# a group: each of its subcommands too
	subs=$(help "$cmd" | awk -v g="$cmd" 'NR == 1 && $0 !~ ("^Usage: hubctl " g " COMMAND") {exit}
		/^  [a-z][a-z0-9-]*  / {print $1}')
	for sub in $subs; do
		if ! grep -qE "hubctl $cmd ([a-z|-]+\|)?$sub([| ]|$)" <<<"$hubctl_page"; then
			echo "not ok: hubctl(1) does not describe 'hubctl $cmd $sub'"
			status=1
		fi
	done
done
[ $status = 0 ] && echo "ok: man pages"
exit $status
