#!/bin/bash
# tests/reliability/report.sh [BUILD_DIR]: runs the reliability suite and
# prints its figures (the TAP comments each test writes), one table.
# BUILD_DIR defaults to ./build (configured with meson, tests on).
set -euo pipefail
build=${1:-build}
meson test -C "$build" --suite reliability --num-processes 1 --verbose >/dev/null 2>&1 || status=$?
log="$build/meson-logs/testlog.txt"
echo "reliability figures ($(date -u +%Y-%m-%d), $(nproc) cores)"
grep -E '^# (seed|[0-9]+ calls|download|snapshot|sync|LFS upload|S3 mirror|rate-limit|[0-9]+ rounds|fault matrix|hostile Hub|disk full)' "$log" | sed 's/^# /  /'
exit "${status:-0}"
