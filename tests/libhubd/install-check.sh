#!/bin/bash
# install-check.sh BUILDDIR SRCDIR: `meson install --destdir` puts libhubd
# where pkg-config finds it: `pkg-config --cflags hubd-1` works, and the C
# example compiles and links against the installed headers and library only.
set -euo pipefail
build=$1
src=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >/dev/null
pc=$(find "$dest" -name hubd-1.pc -print -quit)
[ -n "$pc" ] || { echo "not ok 1 - no hubd-1.pc installed"; exit 1; }
# The .pc file names the real prefix; a copy names the staged one (as a
# package's files would be read once unpacked), GLib's own .pc files untouched.
mkdir "$dest/pc"
sed "s|^prefix=|prefix=$dest|" "$pc" >"$dest/pc/hubd-1.pc"
export PKG_CONFIG_PATH=$dest/pc
cflags=$(pkg-config --cflags hubd-1)
libs=$(pkg-config --libs hubd-1)
echo "# pkg-config --cflags hubd-1: $cflags"
found=""
for flag in $cflags; do
	case "$flag" in -I*/hubd-1) [ -f "${flag#-I}/hubd.h" ] && found=${flag#-I} ;; esac
done
[ -n "$found" ] || { echo "not ok 1 - no -I…/hubd-1 holding hubd.h"; exit 1; }
echo "ok 1 - pkg-config --cflags hubd-1 names the installed headers ($found)"
# shellcheck disable=SC2086
cc -Werror -Wall "$src/libhubd/examples/download.c" $cflags $libs -o "$dest/download"
echo "ok 2 - the C example builds against the installed libhubd"
for f in Hubd-1.0.gir Hubd-1.0.typelib libhubd-1.so.0; do
	[ -n "$(find "$dest" -name "$f" -print -quit)" ] || { echo "not ok 3 - $f not installed"; exit 1; }
done
echo "ok 3 - the GIR, the typelib and libhubd-1.so.0 are installed"
echo "1..3"
