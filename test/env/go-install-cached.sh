#!/usr/bin/env bash
# Installs one command from a Go module into the user's cache, once per version, and prints its path.
# Usage: go-install-cached.sh NAME VERSION MODULE_PATH_OF_THE_COMMAND BINARY
# e.g.   go-install-cached.sh helm 4.3.2 helm.sh/helm/v4/cmd/helm helm
set -euo pipefail

name="$1" version="$2" module="$3" binary="$4"
CACHE="${PLEDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pledge}"
dir="$CACHE/$name-$version"
exe="$dir/$binary"

# The marker is written only after a complete install, so an interrupted one is redone.
if [[ -x "$exe" && -f "$dir/.installed" ]]; then
  echo "$exe"
  exit 0
fi

command -v go >/dev/null || { echo "install $name: Go is needed to install $name" >&2; exit 1; }
mkdir -p "$CACHE"
# Test runs starting together must not install into the same dir at once.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.$name-$version.lock"
  flock 9
  if [[ -x "$exe" && -f "$dir/.installed" ]]; then
    echo "$exe"
    exit 0
  fi
fi
rm -rf "$dir"
mkdir -p "$dir"
echo "install $name: building $name v$version into $dir (once)" >&2
GOBIN="$dir" CGO_ENABLED="${GO_INSTALL_CGO:-0}" GOFLAGS="${GOFLAGS:-} -mod=mod" go install -trimpath -ldflags "-s -w" "$module@v$version" >&2
[[ -x "$exe" ]] || { echo "install $name: $exe missing after install" >&2; exit 1; }
touch "$dir/.installed"
echo "$exe"
