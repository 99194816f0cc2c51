#!/usr/bin/env bash
# Installs fake-gcs-server (the GCS emulator the tests use) from its Go module into the user's cache,
# once per version. Prints the path of the fake-gcs-server executable.
set -euo pipefail

FAKE_GCS_VERSION="${PLEDGE_FAKE_GCS_VERSION:-1.56.1}"
CACHE="${PLEDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pledge}"
dir="$CACHE/fake-gcs-$FAKE_GCS_VERSION"
server="$dir/fake-gcs-server"

# The marker is written only after a complete install, so an interrupted one is redone.
if [[ -x "$server" && -f "$dir/.installed" ]]; then
  echo "$server"
  exit 0
fi

command -v go >/dev/null || { echo "install-fake-gcs: Go is needed to install fake-gcs-server" >&2; exit 1; }
mkdir -p "$CACHE"
# Test runs starting together must not install into the same dir at once.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.fake-gcs-$FAKE_GCS_VERSION.lock"
  flock 9
  if [[ -x "$server" && -f "$dir/.installed" ]]; then
    echo "$server"
    exit 0
  fi
fi
rm -rf "$dir"
mkdir -p "$dir"
echo "install-fake-gcs: building fake-gcs-server v$FAKE_GCS_VERSION into $dir (once)" >&2
GOBIN="$dir" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod" go install -trimpath -ldflags "-s -w" \
  "github.com/fsouza/fake-gcs-server@v$FAKE_GCS_VERSION" >&2
[[ -x "$server" ]] || { echo "install-fake-gcs: $server missing after install" >&2; exit 1; }
touch "$dir/.installed"
echo "$server"
