#!/usr/bin/env bash
# Makes Debian's Chromium available for the browser tests (test/ui/, driven by playwright-core, which downloads
# no browser). Uses the one on PATH (or PLEDGE_CHROMIUM); otherwise, as root (CI machines and containers), installs
# the distribution's package. Prints the path of the executable as its last line.
set -euo pipefail

find_chromium() {
  if [[ -n "${PLEDGE_CHROMIUM:-}" && -x "$PLEDGE_CHROMIUM" ]]; then echo "$PLEDGE_CHROMIUM"; return 0; fi
  command -v chromium || command -v chromium-browser || return 1
}

if exe="$(find_chromium)"; then
  echo "$exe"
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  echo "install chromium: no chromium on PATH and not root; install the distribution's package" \
    "(Debian/Ubuntu: sudo apt-get install chromium) or set PLEDGE_CHROMIUM to a Chromium executable" >&2
  exit 1
fi
command -v apt-get >/dev/null || { echo "install chromium: no chromium on PATH and no apt-get; install Chromium and set PLEDGE_CHROMIUM" >&2; exit 1; }

CACHE="${PLEDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pledge}"
mkdir -p "$CACHE"
# Test runs starting together must not run apt-get at once (apt's own lock would fail the second).
exec 9>"$CACHE/.chromium.lock"
flock 9
if exe="$(find_chromium)"; then
  echo "$exe"
  exit 0
fi
echo "install chromium: installing the distribution's chromium package (once)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
exe="$(find_chromium)" || { echo "install chromium: chromium missing after apt-get install" >&2; exit 1; }
echo "$exe"
