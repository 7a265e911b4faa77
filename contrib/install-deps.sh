#!/usr/bin/env bash
# Installs everything hubd needs to build, run and test on Debian 12, then the
# pinned npm packages of the conformance suite. Safe to run again: apt-get and
# npm ci skip what is already there. Used by .ci/run and contrib/demo.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  meson ninja-build pkg-config gcc libc6-dev
  libglib2.0-dev libglib2.0-bin libsoup-3.0-dev libjson-glib-dev
  libsecret-1-dev libsecret-tools libyaml-dev nettle-dev gettext
  # TLS for libsoup, and the desktop's proxy settings (org.gnome.system.proxy)
  glib-networking gsettings-desktop-schemas
  # dbus-run-session is in dbus-daemon, gdbus in libglib2.0-bin; setpriv in util-linux
  dbus dbus-daemon dbus-bin gnome-keyring util-linux procps
  # gcc's ASan/UBSan runtimes come with gcc; clang + compiler-rt for the fuzz targets
  clang libclang-rt-14-dev python3 git curl openssl ca-certificates
  # the git credential helper and LFS transfer agent tests run real git-lfs
  git-lfs
  # tests/check-format.sh
  clang-format
  # libhubd: its GIR and typelib, API docs, and the Python and GJS examples and tests
  gobject-introspection libgirepository1.0-dev gir1.2-glib-2.0 gi-docgen python3-gi gjs
  # man pages (rst2man) and their test (groff, man -l); bash completion's folder;
  # systemd-analyze for tests/check-systemd-unit.sh
  python3-docutils groff-base man-db bash-completion systemd
  # tests/bench/webhooks.sh
  wrk
  # tests/hubd-transport-test.c: nginx (TLS, HTTP/2) in front of the local Hub, a forward proxy
  nginx-light tinyproxy
  # tests/card-load-check.py: a pushed card loads by huggingface_hub's rules
  python3-yaml
  # the S3 plugin's tests cross-check with the AWS CLI
  awscli
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# the official JS client needs node >= 18: Debian's nodejs is enough when none is there
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ -f "$here/tests/conformance/package-lock.json" ]; then
  npm ci --prefix "$here/tests/conformance" --no-audit --no-fund --loglevel=error
fi
# the S3 server of the S3 plugin's tests (checks SigV4 signatures)
if [ -f "$here/tests/s3/package-lock.json" ]; then
  npm ci --prefix "$here/tests/s3" --no-audit --no-fund --loglevel=error
fi
