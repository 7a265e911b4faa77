#!/bin/bash
# tests/check-analyzer.sh: gcc's static analyzer (-fanalyzer) over the daemon,
# failing on any finding that tests/analyzer/baseline.txt does not list.
#
#   bash tests/check-analyzer.sh [BUILDDIR]     (default: build-analyzer)
#
# Builds only the daemon's archive, in its own build directory with
# -Danalyzer=true, every source each run (the analyzer speaks only while a
# file compiles). A new finding is printed with its path; fix it, or, when it
# is a false positive, add a line with the reason to the baseline. The
# baseline matches file, function and warning, not line numbers. Judged with
# Debian 12's gcc 12: another gcc finds other things.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
build=${1:-build-analyzer}
options=(-Danalyzer=true -Dtests=false -Ddocs=false)

echo "check-analyzer: $(gcc --version | head -n 1)"
reconfigure=()
[ -f "$build/build.ninja" ] && reconfigure=(--reconfigure)
if ! setup_log=$(meson setup "${reconfigure[@]}" "$build" "${options[@]}" 2>&1); then
	echo "$setup_log" >&2
	echo "check-analyzer: meson setup failed" >&2
	exit 1
fi
rm -f "$build"/daemon/libhubd-core.a.p/*.o "$build"/daemon/libhubd-common-src.a.p/*.o \
	"$build"/libhubd/libhubd-common.a.p/*.o "$build"/libhubd/libhubd-internal.a.p/*.o
log=$build/meson-logs/analyzer.log
start=$SECONDS
ninja_status=0
ninja -v -C "$build" libhubd/libhubd-common.a libhubd/libhubd-internal.a \
	daemon/libhubd-common-src.a daemon/libhubd-core.a >"$log" 2>&1 || ninja_status=$?
echo "check-analyzer: analysed the daemon in $((SECONDS - start)) s"
status=0
python3 tests/analyzer/compare.py "$log" "$build" "$src" tests/analyzer/baseline.txt \
	"$ninja_status" || status=1
if [ "$ninja_status" -ne 0 ]; then
	grep -e '^FAILED:' -e '^ninja:' "$log" >&2 || true
	echo "check-analyzer: the build failed (log: $log)" >&2
	status=1
fi
exit "$status"
