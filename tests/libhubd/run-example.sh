#!/bin/bash
# run-example.sh CMD...: publish alice/example-model (through hubctl) and run
# a libhubd example against it: its output must list the repo and end with the
# path of the downloaded config.json, whose bytes are the uploaded ones.
# Runs under with-hub.sh.
set -uo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf -- '---\nlicense: apache-2.0\n---\n# Example\n' >"$work/README.md"
printf '{"hidden_size": 8}\n' >"$work/config.json"
"$HUBD_TEST_HUBCTL" repo create alice/example-model --exist-ok >/dev/null || exit 99
"$HUBD_TEST_HUBCTL" upload alice/example-model "$work" >/dev/null || exit 99

out=$("$@" alice/example-model config.json) || { echo "not ok 1 - the example failed"; exit 1; }
echo "$out" | sed 's/^/# /'
echo "$out" | grep -q '^alice/example-model' && echo "ok 1 - it lists the repo" ||
	{ echo "not ok 1 - it lists the repo"; exit 1; }
path=$(echo "$out" | tail -n 1)
cmp -s "$path" "$work/config.json" && echo "ok 2 - it downloaded the file" ||
	{ echo "not ok 2 - it downloaded the file ($path)"; exit 1; }
# a missing repo: a typed error (exit 2 in the GJS and C examples, a message)
if "$@" alice/no-such-model config.json >/dev/null 2>"$work/err"; then
	echo "not ok 3 - a missing repo fails"
	exit 1
fi
echo "ok 3 - a missing repo fails: $(tail -n 1 "$work/err")"
echo "1..3"
