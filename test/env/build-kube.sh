#!/usr/bin/env bash
# Builds kube-apiserver and etcd from Go modules into the user's cache, once per version.
# Prints the directory that holds both binaries. Honours KUBEBUILDER_ASSETS when it already has them.
set -euo pipefail

KUBE_VERSION="${PLEDGE_KUBE_VERSION:-1.32.13}"
ETCD_VERSION="${PLEDGE_ETCD_VERSION:-3.5.21}"
CACHE="${PLEDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pledge}"

if [[ -n "${KUBEBUILDER_ASSETS:-}" && -x "$KUBEBUILDER_ASSETS/kube-apiserver" && -x "$KUBEBUILDER_ASSETS/etcd" ]]; then
  echo "$KUBEBUILDER_ASSETS"
  exit 0
fi

out="$CACHE/kube-$KUBE_VERSION-etcd-$ETCD_VERSION"
if [[ -x "$out/kube-apiserver" && -x "$out/etcd" ]]; then
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { echo "build-kube: Go is needed to build kube-apiserver and etcd (or set KUBEBUILDER_ASSETS)" >&2; exit 1; }
mkdir -p "$out"
# Test runs starting together (node --test runs files in parallel) must not build into the same
# work dir at once: the second waits for the first, then finds the binaries.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.kube-$KUBE_VERSION-etcd-$ETCD_VERSION.lock"
  flock -n 9 || { echo "build-kube: waiting for another build of kube-apiserver $KUBE_VERSION / etcd $ETCD_VERSION" >&2; flock 9; }
fi
work="$CACHE/build"
mkdir -p "$work"
export GOFLAGS="${GOFLAGS:-} -mod=mod"
export CGO_ENABLED=0

build_apiserver() {
  local dir="$work/kube-apiserver-$KUBE_VERSION"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  # k8s.io/kubernetes points its staging modules at ./staging; a consumer must replace each with
  # the published v0.x.y. The list comes from the module's own go.mod, so it follows the version.
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  {
    echo "module pledge.local/kube-apiserver-build"
    echo "go 1.23"
    echo "require k8s.io/kubernetes v$KUBE_VERSION"
    grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" \
      | awk -v v="v0.${KUBE_VERSION#1.}" '{print "replace " $1 " => " $1 " " v}'
  } > go.mod
  printf 'package main\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver/app"\nfunc main() {}\n' > tools.go
  go mod tidy >&2
  rm tools.go
  go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${KUBE_VERSION#1.}" \
    -o "$out/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2
  mv "$out/kube-apiserver.tmp" "$out/kube-apiserver"
}

build_etcd() {
  local dir="$work/etcd-$ETCD_VERSION"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  printf 'module pledge.local/etcd-build\ngo 1.23\nrequire go.etcd.io/etcd/server/v3 v%s\n' "$ETCD_VERSION" > go.mod
  printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' > main.go
  go mod tidy >&2
  go build -trimpath -ldflags "-s -w" -o "$out/etcd.tmp" . >&2
  mv "$out/etcd.tmp" "$out/etcd"
}

[[ -x "$out/etcd" && -x "$out/kube-apiserver" ]] || echo "build-kube: building kube-apiserver $KUBE_VERSION and etcd $ETCD_VERSION into $out (a few minutes, once)" >&2
[[ -x "$out/etcd" ]] || build_etcd
[[ -x "$out/kube-apiserver" ]] || build_apiserver
echo "$out"
