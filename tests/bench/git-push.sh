#!/bin/bash
# git-push.sh: `git push` of one BENCH_SIZE_MB (default 1024) MiB LFS file to
# the local Hub, twice on the same run with fresh random bytes: through hubd
# (git-lfs runs `hubctl lfs-multipart-upload`, parts of BENCH_CHUNK_MB,
# default 64, MiB sent by hubd) and with git-lfs's own "basic" transfer (one
# PUT, the repository not set up with lfs-enable-largefiles). Credentials
# come from `hubctl auth git-credential` both times.
#
# Usage (after `meson compile -C BUILD`; needs git and git-lfs):
#   BENCH_SIZE_MB=1024 tests/bench/git-push.sh BUILD
# It re-runs itself under tests/harness/hubd-test-env.sh, times each push
# from the command to its end and prints seconds, MiB/s and the ratio. Not a
# meson test.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

build=$(cd "${1:?usage: git-push.sh BUILD}" && pwd)
size_mb=${BENCH_SIZE_MB:-1024}
chunk_mb=${BENCH_CHUNK_MB:-64}

bench_in_test_env "$build"

start_hub --lfs-chunk-size $((chunk_mb * 1024 * 1024))
start_hubd
hubctl="$build/client/hubctl"

export GIT_CONFIG_GLOBAL="$TMPDIR/gitconfig" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
git config --global user.name bench
git config --global user.email bench@example.com
echo "$token" |
	"$hubctl" auth login --token-stdin --add-to-git-credential >/dev/null

# push_one NAME [hubd]: a fresh repo alice/NAME and a fresh file; prints seconds
push_one() {
	local name=$1 work="$TMPDIR/$1"
	"$hubctl" repo create "alice/$name" >/dev/null
	git init -q -b main "$work"
	git init -q --bare "$work.git"
	git -C "$work" lfs install --local >/dev/null
	git -C "$work" lfs track '*.bin' >/dev/null
	[ "${2:-}" = hubd ] && "$hubctl" lfs-enable-largefiles "$work"
	git -C "$work" config lfs.url "$url/alice/$name.git/info/lfs"
	git -C "$work" remote add origin "$work.git"
	head -c $((size_mb * 1024 * 1024)) /dev/urandom >"$work/big.bin"
	git -C "$work" add .gitattributes big.bin
	git -C "$work" commit -qm bench
	sync
	local t
	t=$(now)
	git -C "$work" push -q origin main >"$TMPDIR/$name.err" 2>&1
	elapsed "$t"
}

hubd_s=$(push_one bench-hubd hubd)
basic_s=$(push_one bench-basic)

python3 - "$size_mb" "$hubd_s" "$basic_s" <<'PY'
import sys
size, hubd, basic = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"git push of {size:.0f} MiB through hubd (multipart agent): {hubd:.2f} s, {size / hubd:.1f} MiB/s")
print(f"git push of {size:.0f} MiB, git-lfs basic transfer:       {basic:.2f} s, {size / basic:.1f} MiB/s")
print(f"ratio hubd / git-lfs basic: {hubd / basic:.2f} (below 1: hubd is faster)")
PY
