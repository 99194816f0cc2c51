#!/usr/bin/env bash
# Builds Crossplane's provider-nop from its Go module into the user's cache, once per version, for
# bench/scale to run out of cluster. Prints the directory that holds `provider` and `crds/`.
# Network: the Go module proxy only (the version is asked for exactly; the proxy's version list is not used).
set -euo pipefail

VERSION="${PLEDGE_PROVIDER_NOP_VERSION:-v0.5.0}"
MODULE="github.com/crossplane-contrib/provider-nop"
CACHE="${PLEDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pledge}"
out="$CACHE/provider-nop-$VERSION"

done_already() { [[ -x "$out/provider" && -f "$out/crds/.complete" ]]; }
if done_already; then
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { echo "install-provider-nop: Go is needed to build provider-nop $VERSION" >&2; exit 1; }
mkdir -p "$CACHE"
# Two benchmark runs starting together must not build into the same dir at once: the second waits
# for the first, then finds the binary (as test/env/build-kube.sh does).
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.provider-nop-$VERSION.lock"
  flock -n 9 || { echo "install-provider-nop: waiting for another build of provider-nop $VERSION" >&2; flock 9; }
fi
if done_already; then
  echo "$out"
  exit 0
fi
echo "install-provider-nop: building $MODULE@$VERSION into $out (a minute or two, once)" >&2
mkdir -p "$out"

# The module's own go.mod and go.sum decide every dependency: its source is copied out of the module
# cache and built as the main module, the way its own Makefile builds it. (`go install pkg@version`
# would also ask the proxy for the module's version list, to look for a deprecation notice, and the
# proxy refuses that list.) CGO off: a static binary, as the provider's image ships.
dir=$(go mod download -json "$MODULE@$VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
[[ -n "$dir" && -d "$dir/cmd/provider" && -d "$dir/package/crds" ]] || { echo "install-provider-nop: cannot download $MODULE@$VERSION" >&2; exit 1; }
work="$CACHE/build/provider-nop-$VERSION"
rm -rf "$work" && mkdir -p "$(dirname "$work")"
cp -r "$dir" "$work" && chmod -R u+w "$work"
(cd "$work" && CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "-s -w" -o "$out/provider.tmp" ./cmd/provider >&2)
mv "$out/provider.tmp" "$out/provider"

# The CRDs come from the same module (package/crds/: NopResource, namespaced, and ClusterNopResource,
# cluster-scoped). package/webhookconfigurations/ is left out: out of cluster, nothing calls the webhook.
rm -rf "$out/crds" && mkdir -p "$out/crds"
cp "$dir"/package/crds/*.yaml "$out/crds/"
chmod u+w "$out"/crds/*.yaml
touch "$out/crds/.complete"
rm -rf "$work"
echo "$out"
