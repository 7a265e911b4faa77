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

if [ -z "$DEMO_ENDPOINT" ]; then
  # the local Hub: publish a small model, tag it, and download it back
  user=$("$hubctl" auth whoami --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("name") or d["user"])')
  repo="$user/demo-model"
  work=$(mktemp -d)
  printf -- '---\nlicense: apache-2.0\n---\n# Demo model\n\nPublished by the hubd demo.\n' >"$work/README.md"
  printf '{"hidden_size": 8}\n' >"$work/config.json"
  head -c 3000000 /dev/urandom >"$work/model.safetensors"
  echo 'HF_TOKEN=hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789' >"$work/.env.example"
  step "$hubctl" repo create "$repo" --exist-ok
  printf '\n\033[1m$ hubctl upload %s %s   (a token hides in .env.example)\033[0m\n' "$repo" "$work"
  "$hubctl" upload "$repo" "$work" --commit-message "First version" || echo "(refused, as it should be)"
  rm "$work/.env.example"
  step "$hubctl" upload "$repo" "$work" --commit-message "First version"
  step "$hubctl" repo tag create "$repo" v1.0 -m "First release"
  # the seed's card pattern: metadata + template sections, pushed in one command
  step "$hubctl" card create "$repo" --template model --license apache-2.0 --language en \
    --library-name transformers --tag demo --section "model_description=A tiny demo model." \
    --section "uses=Download it with hubctl." --push
  step "$hubctl" card set "$repo" "tags=[demo, tiny]"
  step "$hubctl" card show "$repo" --metadata
  step "$hubctl" repo files "$repo"
  step "$hubctl" repo info "$repo"
  step "$hubctl" download "$repo" config.json
  step "$hubctl" download "$repo" --include '*.json' --include '*.md'
  step "$hubctl" download "hf://$repo@v1.0/config.json"
  step "$hubctl" download "$repo" --dry-run
  step "$hubctl" cache verify "$repo" && echo "(exit 0: no cached file differs from the Hub's hashes)"
  step "$hubctl" cache scan
  rm -rf "$work"
else
  # a real Hub: read-only steps only
  step "$hubctl" repo info openai-community/gpt2
  step "$hubctl" repo files openai-community/gpt2
  step "$hubctl" download openai-community/gpt2 config.json
  step "$hubctl" cache scan
fi
echo
echo "That was hubd on a private session bus with a throwaway keyring; nothing is left behind."
