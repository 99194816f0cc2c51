#!/usr/bin/env bash
# Installs helm (the chart is linted and rendered with it) from its Go module into the user's cache,
# once per version. Prints the path of the helm executable.
set -euo pipefail

HELM_VERSION="${PLEDGE_HELM_VERSION:-4.3.2}"
CACHE="${PLEDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pledge}"
dir="$CACHE/helm-$HELM_VERSION"
helm="$dir/helm"

# The marker is written only after a complete install, so an interrupted one is redone.
if [[ -x "$helm" && -f "$dir/.installed" ]]; then
  echo "$helm"
  exit 0
fi

command -v go >/dev/null || { echo "install-helm: Go is needed to install helm" >&2; exit 1; }
mkdir -p "$CACHE"
# Test runs starting together must not install into the same dir at once.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.helm-$HELM_VERSION.lock"
  flock 9
  if [[ -x "$helm" && -f "$dir/.installed" ]]; then
    echo "$helm"
    exit 0
  fi
fi
rm -rf "$dir"
mkdir -p "$dir"
echo "install-helm: building helm v$HELM_VERSION into $dir (once)" >&2
GOBIN="$dir" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod" go install -trimpath -ldflags "-s -w" \
  "helm.sh/helm/v4/cmd/helm@v$HELM_VERSION" >&2
[[ -x "$helm" ]] || { echo "install-helm: $helm missing after install" >&2; exit 1; }
touch "$dir/.installed"
echo "$helm"
