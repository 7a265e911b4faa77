#!/bin/bash
# check-potfiles.sh SRCDIR: po/POTFILES lists exactly the installed sources
# with translatable strings, so no user-facing message escapes translation.
set -euo pipefail
cd "$1"
status=0
while read -r f; do
	grep -qxF "$f" po/POTFILES || { echo "po/POTFILES lacks $f (it has _() strings)"; status=1; }
done < <(grep -rlE '\b_\(|\bN_\(' daemon client libhubd --include='*.c' | sort)
while read -r f; do
	[ -z "$f" ] || [ -f "$f" ] || { echo "po/POTFILES names $f, which is gone"; status=1; }
done < po/POTFILES
exit "$status"
