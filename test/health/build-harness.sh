#!/usr/bin/env bash
# Builds one of the Go health harnesses (lua-harness, kstatus-harness) into the user's cache, once per
# content: the directory is keyed by a hash of its go.mod, go.sum and *.go. Prints the executable's path.
set -euo pipefail

name="${1:?usage: build-harness.sh lua-harness|kstatus-harness}"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/$name" && pwd)"
CACHE="${PLEDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pledge}"
hash="$(cd "$src" && cat go.mod go.sum $(ls *.go | sort) | sha256sum | cut -c1-16)"
dir="$CACHE/health-harness/$name-$hash"
bin="$dir/$name"

if [[ -x "$bin" && -f "$dir/.installed" ]]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "build-harness: Go is needed to build $name" >&2; exit 1; }
mkdir -p "$CACHE/health-harness"
# Test runs starting together must not build into the same dir at once.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/health-harness/.$name.lock"
  flock 9
  if [[ -x "$bin" && -f "$dir/.installed" ]]; then
    echo "$bin"
    exit 0
  fi
fi
rm -rf "$dir"
mkdir -p "$dir"
echo "build-harness: building $name into $dir (once per source change)" >&2
(cd "$src" && CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod" go build -trimpath -ldflags "-s -w" -o "$bin" .) >&2
[[ -x "$bin" ]] || { echo "build-harness: $bin missing after build" >&2; exit 1; }
touch "$dir/.installed"
echo "$bin"
