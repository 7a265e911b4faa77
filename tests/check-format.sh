#!/bin/bash
# tests/check-format.sh: every tracked C file is as clang-format (.clang-format)
# would write it. Prints each file that is not, and the command that fixes it.
#
#   bash tests/check-format.sh
#
# All tracked *.c and *.h files are checked (there is nothing generated or
# vendored among them), in one clang-format run of about a second.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"

if ! command -v clang-format >/dev/null 2>&1; then
	echo "check-format: clang-format is missing (bash contrib/install-deps.sh)" >&2
	exit 1
fi
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "check-format: not a git checkout: cannot list the tracked files" >&2
	exit 1
fi

files=()
while IFS= read -r -d '' f; do
	[ -e "$f" ] && files+=("$f") # a file deleted but not yet committed is skipped
done < <(git ls-files -z -- '*.c' '*.h')
# one clang-format for all files; it names each offending line as
# "FILE:LINE:COL: error: code should be clang-formatted"
if out=$(clang-format --dry-run --Werror "${files[@]}" 2>&1); then
	echo "check-format: ${#files[@]} files formatted as .clang-format says"
	exit 0
fi
mapfile -t bad < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: .*/\1/p' <<<"$out" | sort -u)
if [ ${#bad[@]} -eq 0 ]; then
	echo "$out" >&2
	echo "check-format: clang-format failed" >&2
	exit 1
fi
for f in "${bad[@]}"; do
	echo "check-format: $f is not formatted; fix it with: clang-format -i $f"
done
echo "check-format: ${#bad[@]} of ${#files[@]} files need clang-format ($(clang-format --version))"
exit 1
