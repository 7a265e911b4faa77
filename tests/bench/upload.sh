#!/bin/bash
# upload.sh: one LFS upload of BENCH_SIZE_MB (default 1024) MiB of random
# bytes to the local Hub, by hubd (`hubctl upload`) and by the official JS
# client (`@huggingface/hub` uploadFiles from tests/conformance/node_modules,
# useXet: false), one run each, same file, fresh repos.
#
# Usage (from the source tree, after `meson compile -C BUILD` and `npm ci` in
# tests/conformance):
#   BENCH_SIZE_MB=1024 tests/bench/upload.sh BUILD
# It re-runs itself under tests/harness/hubd-test-env.sh, starts the local Hub with
# multipart parts of BENCH_CHUNK_MB (default 64) MiB, times each upload from
# the command to the commit (hashing included) and prints seconds, MiB/s and
# the ratio, and hubd's peak memory. The policy is skipped (--no-policy: random bytes have no card);
# the secret scan would skip binary data anyway. Not a meson test.
# The floor an LFS upload can reach is its hash time plus its transfer time,
# so the same run also times `openssl dgst -sha256` and `curl -T` of a third
# file of the same size to a fresh basic upload URL from the Hub's LFS batch
# API, and prints hubd / (openssl + curl) (goal <= 1.15).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

build=$(cd "${1:?usage: upload.sh BUILD}" && pwd)
size_mb=${BENCH_SIZE_MB:-1024}
chunk_mb=${BENCH_CHUNK_MB:-64}

bench_in_test_env "$build"

start_hub --lfs-chunk-size $((chunk_mb * 1024 * 1024))
HF_TOKEN=$token start_hubd
hubctl="$build/client/hubctl"

# two files of the same size: the Hub keeps LFS objects across repos, so
# the same bytes would not be sent twice
file="$TMPDIR/bench-hubd.bin"
js_file="$TMPDIR/bench-js.bin"
floor_file="$TMPDIR/bench-floor.bin"
head -c $((size_mb * 1024 * 1024)) /dev/urandom >"$file"
head -c $((size_mb * 1024 * 1024)) /dev/urandom >"$js_file"
head -c $((size_mb * 1024 * 1024)) /dev/urandom >"$floor_file"
sync

t=$(now)
"$hubctl" upload alice/bench-hubd "$file" bench.bin --no-policy --quiet >/dev/null
hubd_s=$(elapsed "$t")
hubd_rss=$(sed -n 's/^VmHWM: *//p' "/proc/$hubd_pid/status")

node --input-type=module - "$src/tests/conformance" "$url" "$token" "$js_file" >"$TMPDIR/js.out" <<'JS'
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
const [dir, hubUrl, accessToken, file] = process.argv.slice(2);
const require = createRequire(dir + "/package.json");
const hf = await import(pathToFileURL(require.resolve("@huggingface/hub")).href);
const repo = { type: "model", name: "alice/bench-js" };
await hf.createRepo({ repo, hubUrl, accessToken });
const t = performance.now();
await hf.uploadFiles({
	repo, hubUrl, accessToken, useXet: false,
	files: [{ path: "bench.bin", content: pathToFileURL(file) }],
	commitTitle: "bench",
});
console.log(((performance.now() - t) / 1000).toFixed(3));
JS
js_s=$(cat "$TMPDIR/js.out")

# the floor: hash, then one PUT of the body to the URL the batch API hands out
"$hubctl" repo create alice/bench-floor >/dev/null 2>&1 || true
t=$(now)
oid=$(openssl dgst -sha256 -r "$floor_file" | cut -d' ' -f1)
openssl_s=$(elapsed "$t")
size_bytes=$(stat -c %s "$floor_file")
href=$(curl -sSf "$url/alice/bench-floor.git/info/lfs/objects/batch" \
	-H "Authorization: Bearer $token" -H 'Content-Type: application/vnd.git-lfs+json' \
	-d "{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"objects\":[{\"oid\":\"$oid\",\"size\":$size_bytes}]}" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"][0]["actions"]["upload"]["href"])')
t=$(now)
curl -sSf -T "$floor_file" "$href" -o /dev/null
curl_s=$(elapsed "$t")

# each repo must hold its file: compare the Hub's sha256 with the local one
for pair in "bench-hubd:$file" "bench-js:$js_file"; do
	repo=${pair%%:*}
	etag=$(curl -sSf -I "$url/alice/$repo/resolve/main/bench.bin" -H "Authorization: Bearer $token" |
		tr -d '\r' | sed -n 's/^[Xx]-[Ll]inked-[Ee]tag: *"\{0,1\}\([0-9a-f]*\)"\{0,1\}$/\1/p')
	[ "$etag" = "$(sha256sum "${pair#*:}" | cut -d' ' -f1)" ] ||
		{ echo "upload.sh: alice/$repo does not hold its file" >&2; exit 1; }
done

python3 - "$size_mb" "$hubd_s" "$js_s" "$hubd_rss" "$openssl_s" "$curl_s" <<'PY'
import sys
mb, h, j, rss = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
o, c = float(sys.argv[5]), float(sys.argv[6])
print(f"upload {mb} MiB LFS (multipart) to the local Hub:")
print(f"  hubd (hubctl upload):        {h:8.2f} s  {mb / h:8.1f} MiB/s")
print(f"  @huggingface/hub uploadFiles: {j:8.2f} s  {mb / j:8.1f} MiB/s  (JS timed from uploadFiles)")
print(f"  openssl dgst -sha256:         {o:8.2f} s")
print(f"  curl -T (basic LFS PUT):      {c:8.2f} s  {mb / c:8.1f} MiB/s")
print(f"  hubd / JS time ratio: {h / j:.2f} (below 1: hubd faster)")
print(f"  hubd / (openssl + curl -T): {h / (o + c):.2f} (goal <= 1.15)")
print(f"  hubd peak RSS (VmHWM): {rss}")
PY
