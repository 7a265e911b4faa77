#!/bin/bash
# auth-whoami.sh: latency of `hubctl auth whoami` against a warm, logged-in hubd.
#
# Usage (from the source tree, after `meson compile -C BUILD`):
#   tests/bench/auth-whoami.sh BUILD [RUNS]
# It re-runs itself under tests/harness/hubd-test-env.sh (private session bus, unlocked
# keyring, temporary HOME), starts the local Hub and hubd, logs in once, warms
# up, then runs `hubctl auth whoami` RUNS times (default 200) and prints p50 and
# p99 in milliseconds. Goal: p50 <= 10 ms. whoami answers come from hubd's
# per-token cache after the first call, so this measures hubctl start-up, the
# D-Bus round trip and the daemon's dispatch. Not a meson test.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

build=$(cd "${1:?usage: auth-whoami.sh BUILD [RUNS]}" && pwd)
runs=${2:-200}

bench_in_test_env "$build" "$runs"

start_hub
start_hubd
hubctl="$build/client/hubctl"
echo -n "$token" | "$hubctl" auth login --token-stdin >/dev/null
for _ in $(seq 5); do "$hubctl" auth whoami >/dev/null; done

python3 - "$hubctl" "$runs" <<'PY'
import subprocess, sys, time
hubctl, runs = sys.argv[1], int(sys.argv[2])
samples = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run([hubctl, "auth", "whoami"], check=True, stdout=subprocess.DEVNULL)
    samples.append((time.perf_counter() - t) * 1000)
samples.sort()
pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
print(f"hubctl auth whoami x{runs}: p50 {pick(0.50):.2f} ms, p99 {pick(0.99):.2f} ms "
      f"(min {samples[0]:.2f}, max {samples[-1]:.2f})")
PY
