#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager and etcd from Go modules into the user's cache, once
# per version; a binary already there is not built again. Prints the directory that holds all three.
# Honours KUBEBUILDER_ASSETS when it has all three (envtest's assets have no controller-manager).
set -euo pipefail

KUBE_VERSION="${PLEDGE_KUBE_VERSION:-1.32.13}"
ETCD_VERSION="${PLEDGE_ETCD_VERSION:-3.5.21}"
CACHE="${PLEDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pledge}"

has_all() { [[ -x "$1/kube-apiserver" && -x "$1/kube-controller-manager" && -x "$1/etcd" ]]; }

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]] && has_all "$KUBEBUILDER_ASSETS"; then
  echo "$KUBEBUILDER_ASSETS"
  exit 0
fi

out="$CACHE/kube-$KUBE_VERSION-etcd-$ETCD_VERSION"
if has_all "$out"; then
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { echo "build-kube: Go is needed to build kube-apiserver, kube-controller-manager and etcd (or set KUBEBUILDER_ASSETS)" >&2; exit 1; }
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

# Staging versions the Go module proxy does not serve, and the release used instead. k8s.io/endpointslice
# v0.32.12 and v0.32.13 differ only in go.mod/go.sum (their k8s.io requirements, pinned by the replaces below
# anyway); kube-controller-manager needs it, kube-apiserver does not.
declare -A SUBSTITUTES=([k8s.io/endpointslice@v0.32.13]=v0.32.12)

# One command of k8s.io/kubernetes (kube-apiserver, kube-controller-manager), each in its own build module.
build_kube_command() {
  local cmd="$1" dir="$work/$1-$KUBE_VERSION"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  # k8s.io/kubernetes points its staging modules at ./staging; a consumer must replace each with
  # the published v0.x.y. The list comes from the module's own go.mod, so it follows the version.
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  {
    echo "module pledge.local/$cmd-build"
    echo "go 1.23"
    echo "require k8s.io/kubernetes v$KUBE_VERSION"
    local mod staging="v0.${KUBE_VERSION#1.}"
    for mod in $(grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod" | awk '{print $1}'); do
      echo "replace $mod => $mod ${SUBSTITUTES[$mod@$staging]:-$staging}"
    done
  } > go.mod
  printf 'package main\nimport _ "k8s.io/kubernetes/cmd/%s/app"\nfunc main() {}\n' "$cmd" > tools.go
  go mod tidy >&2
  rm tools.go
  go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${KUBE_VERSION#1.}" \
    -o "$out/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd" >&2
  mv "$out/$cmd.tmp" "$out/$cmd"
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

has_all "$out" || echo "build-kube: building what is missing of kube-apiserver and kube-controller-manager $KUBE_VERSION, etcd $ETCD_VERSION into $out (a few minutes, once)" >&2
[[ -x "$out/etcd" ]] || build_etcd
[[ -x "$out/kube-apiserver" ]] || build_kube_command kube-apiserver
[[ -x "$out/kube-controller-manager" ]] || build_kube_command kube-controller-manager
echo "$out"
