#!/usr/bin/env bash
# The README's "try it" command: installs what is missing, builds hubd, and
# runs a short tour of hubctl against the local Hub (default) or a real Hub
# (--endpoint URL). Everything runs in a private session bus with a throwaway
# keyring and home, so your own session and keyring are never touched.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
endpoint=""
while [ $# -gt 0 ]; do
  case "$1" in
    --endpoint) endpoint="$2"; shift 2 ;;
    --endpoint=*) endpoint="${1#--endpoint=}"; shift ;;
    -h|--help) echo "usage: bash contrib/demo.sh [--endpoint URL]"; exit 0 ;;
    *) echo "demo.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done

bash "$here/contrib/install-deps.sh"
build="$here/build-demo"
[ -d "$build" ] || meson setup "$build" "$here" >/dev/null
meson compile -C "$build" >/dev/null

# the tour itself runs inside the test harness's private bus + keyring
export DEMO_BUILD="$build" DEMO_ENDPOINT="$endpoint" DEMO_SRC="$here"
exec bash "$here/tests/harness/hubd-test-env.sh" bash "$here/contrib/demo-tour.sh"
