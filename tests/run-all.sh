#!/bin/bash
# tests/run-all.sh: every test suite, twice — the run CI does and the README's
# test command ends in (`bash .ci/run` installs what is missing, then runs this).
#
#   1. build-ci:   -Dwerror=true, `meson test`; then `meson install` into a
#                  temporary root
#   2. build-asan: the same with AddressSanitizer + UBSan, `meson test` again
#
# and three checks outside meson, each counted as one test: clang-format
# (tests/check-format.sh), the install, and gcc -fanalyzer over the daemon
# with no finding outside tests/analyzer/baseline.txt (tests/check-analyzer.sh,
# in build-analyzer).
#
# A test that failed only because LeakSanitizer's tracer crashed at exit (a
# sanitizer runtime race, no leak reported) is run once more, and says so.
#
# Both build directories are reused when they exist (reconfigured), so a
# second run only rebuilds what changed. Exits non-zero if anything failed,
# and prints one last line "N passed, N failed" (meson tests of both runs and
# the checks).
#
# Environment: HUBD_TEST_JOBS (default 2) parallel tests; HUBD_TEST_SKIP_ASAN=1
# runs only the first pass; MESON_TEST_ARGS extra `meson test` arguments
# (e.g. "--suite daemon").
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
jobs=${HUBD_TEST_JOBS:-2}
read -r -a extra_test_args <<<"${MESON_TEST_ARGS:-}"

passed=0
failed=0
skipped=0
status=0
recovered=0

# counts the results of one `meson test` run from its testlog.json
count_results() {
	local log=$1/meson-logs/testlog.json
	local counts
	if [ ! -f "$log" ]; then
		echo "run-all: no $log; counting the run as one failure" >&2
		failed=$((failed + 1))
		return
	fi
	counts=$(python3 - "$log" <<'PY'
import json, sys
ok = bad = skip = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        result = json.loads(line).get("result", "")
        if result in ("OK", "EXPECTEDFAIL"):
            ok += 1
        elif result == "SKIP":
            skip += 1
        else:  # FAIL, ERROR, TIMEOUT, UNEXPECTEDPASS
            bad += 1
print(ok, bad, skip)
PY
)
	read -r ok bad skip <<<"$counts"
	echo "run-all: $1: $ok passed, $bad failed, $skip skipped"
	passed=$((passed + ok))
	failed=$((failed + bad))
	skipped=$((skipped + skip))
}

# check NAME COMMAND...: a check outside meson test, counted as one test
check() {
	local name=$1
	shift
	echo "==== $name"
	if "$@"; then
		echo "run-all: $name: OK"; passed=$((passed + 1))
	else
		echo "run-all: $name: FAILED" >&2; failed=$((failed + 1)); status=1
	fi
}

# The tests of BUILDDIR's last run that failed only because LeakSanitizer's
# own tracer crashed at exit ("Tracer caught signal 11 ... LeakSanitizer has
# encountered a fatal error", no leak reported): a rare race in the sanitizer
# runtime with threads starting or ending as the process exits
# (google/sanitizers#1353), not a finding about our code.
lsan_tracer_crashes() {
	python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        if not line.strip():
            continue
        t = json.loads(line)
        out = (t.get("stdout") or "") + (t.get("stderr") or "")
        if (t.get("result") in ("FAIL", "ERROR")
                and "LeakSanitizer has encountered a fatal error" in out
                and "detected memory leaks" not in out):
            print(t["name"].split(" / ")[-1])
PY
}

# Runs each such test once more; one that passes then counts as passed,
# and the log says so.
rerun_lsan_tracer_crashes() {
	local build=$1 name
	[ -f "$build/meson-logs/testlog.json" ] || return 0
	for name in $(lsan_tracer_crashes "$build"); do
		echo "run-all: $build: $name failed in LeakSanitizer's tracer, not in the test; running it again"
		if meson test -C "$build" --print-errorlogs "$name"; then
			echo "run-all: $build: $name passed on the second run"
			passed=$((passed + 1))
			failed=$((failed - 1))
			recovered=$((recovered + 1))
		fi
	done
}

# run_pass BUILDDIR [meson setup options...]
run_pass() {
	local build=$1
	shift
	echo "==== $build: configure ($*)"
	if [ -f "$build/build.ninja" ]; then
		meson setup --reconfigure "$build" "$@" || { failed=$((failed + 1)); status=1; return; }
	else
		meson setup "$build" "$@" || { failed=$((failed + 1)); status=1; return; }
	fi
	echo "==== $build: compile"
	meson compile -C "$build" || { failed=$((failed + 1)); status=1; return; }
	echo "==== $build: test"
	rm -f "$build/meson-logs/testlog.json"
	local before=$failed test_status=0
	recovered=0
	meson test -C "$build" --print-errorlogs --num-processes "$jobs" \
		${extra_test_args[@]+"${extra_test_args[@]}"} || test_status=1
	count_results "$build"
	[ "$failed" -gt "$before" ] && rerun_lsan_tracer_crashes "$build"
	# meson's own status counts unless every failure it saw recovered
	if [ "$failed" -gt "$before" ] || { [ "$test_status" -ne 0 ] && [ "$recovered" -eq 0 ]; }; then
		status=1
	fi
}

# every tracked C file as .clang-format writes it (a second)
check clang-format bash tests/check-format.sh

run_pass build-ci -Dwerror=true

# `meson install` puts the daemon, the CLI, the private library, the API
# (XML + RST reference), the activation file, the user unit and the example
# config where the standard directories say; counted as one more test.
check_install() {
	local dest
	dest=$(mktemp -d)
	if ! meson install -C build-ci --destdir "$dest" >/dev/null; then
		echo "run-all: meson install failed" >&2
		failed=$((failed + 1)); status=1; rm -rf "$dest"; return
	fi
	local want=(bin/hubctl libexec/hubd libexec/hubd-keyring-helper share/dbus-1/services/org.hubd.Hub1.service
		share/dbus-1/interfaces/org.hubd.Hub1.Daemon.xml
		share/doc/hubd/dbus/hubd-dbus-org.hubd.Hub1.Daemon.rst
		share/doc/hubd/examples/hubd.conf lib/systemd/user/hubd.service
		include/hubd-1/hubd.h share/gir-1.0/Hubd-1.0.gir
		share/man/man1/hubctl.1 share/man/man8/hubd.8 share/man/man5/hubd.conf.5
		share/bash-completion/completions/hubctl share/locale/de/LC_MESSAGES/hubd.mo
		share/locale/fr/LC_MESSAGES/hubd.mo)
	local missing=0 f
	for f in "${want[@]}"; do
		[ -e "$dest/usr/local/$f" ] || { echo "run-all: meson install did not install $f" >&2; missing=1; }
	done
	ls "$dest"/usr/local/lib/*/hubd/libhubd-private.so >/dev/null 2>&1 ||
		{ echo "run-all: meson install did not install libhubd-private.so" >&2; missing=1; }
	grep -q '^SystemdService=hubd.service$' "$dest/usr/local/share/dbus-1/services/org.hubd.Hub1.service" || missing=1
	# `man hubctl` after install: the installed page renders
	MANPATH=$dest/usr/local/share/man man -w hubctl >/dev/null 2>&1 &&
		MANPATH=$dest/usr/local/share/man man hubctl 2>/dev/null | grep -q 'hubctl auth login' ||
		{ echo "run-all: man hubctl does not work from the installed pages" >&2; missing=1; }
	if [ "$missing" -eq 0 ]; then
		echo "run-all: meson install: OK"; passed=$((passed + 1))
	else
		failed=$((failed + 1)); status=1
	fi
	rm -rf "$dest"
}
[ -f build-ci/build.ninja ] && check_install

# gcc -fanalyzer over the daemon in build-analyzer: no finding that
# tests/analyzer/baseline.txt does not list (about a minute)
check analyzer bash tests/check-analyzer.sh build-analyzer

if [ "${HUBD_TEST_SKIP_ASAN:-0}" != 1 ]; then
	# LeakSanitizer: tests/lsan.supp lists what GLib and friends keep for the
	# life of the process on purpose (type system, caches); anything else leaked
	# is ours. GSlice would hide allocations from ASan; GLib has no frame
	# pointers, so leak stacks need the slow unwinder.
	export ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
	export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0"
	export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
	export G_SLICE=always-malloc
	# the 10,000-file storm is the first pass's figure; with the slow
	# unwinder on every malloc the local Hub alone needs tens of seconds
	# for its commit, and 3,000 files run the same code paths
	export HUBD_RATE_LIMIT_FILES=3000
	run_pass build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
fi

if [ "$skipped" -gt 0 ]; then
	echo "($skipped skipped)"
fi
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit "$status"
