#!/usr/bin/env bash
# Runs inside a private session bus with an unlocked keyring (see demo.sh).
set -euo pipefail

build="$DEMO_BUILD"
hubctl="$build/client/hubctl"
step() { printf '\n\033[1m$ hubctl %s\033[0m\n' "${*:2}"; "$@"; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

token=""
if [ -z "$DEMO_ENDPOINT" ]; then
  root=$(mktemp -d)
  exec 3< <("$build/tests/testhub/hubd-testhub" --root "$root" --users "$DEMO_SRC/tests/testhub/users.json")
  pids+=($!)
  read -r endpoint <&3
  token=$(python3 -c 'import json,sys; u=json.load(open(sys.argv[1]))["users"][0]; print([t for t in u["tokens"] if t["role"]=="write"][0]["token"])' "$DEMO_SRC/tests/testhub/users.json")
  echo "The local Hub is listening on $endpoint"
else
  endpoint="$DEMO_ENDPOINT"
  token="${HF_TOKEN:-}"
  unset HF_TOKEN
fi

"$build/daemon/hubd" --endpoint "$endpoint" --plugin-dir "$build/plugins" 2>"$HOME/hubd.log" &
pids+=($!)
for _ in $(seq 50); do "$hubctl" status >/dev/null 2>&1 && break; sleep 0.1; done

step "$hubctl" status
if [ -n "$token" ] && "$hubctl" help auth >/dev/null 2>&1; then
  printf '\n\033[1m$ hubctl auth login --token-stdin   (token piped in, never in argv)\033[0m\n'
  printf '%s' "$token" | "$hubctl" auth login --token-stdin --name demo
  step "$hubctl" auth whoami
  step "$hubctl" auth list
fi
echo
echo "That was hubd on a private session bus with a throwaway keyring; nothing is left behind."
