#!/usr/bin/env bash
# Renders each getting-started Composition here with Crossplane's own `crossplane render` (built by
# ../regenerate.sh --build into the cache) driving function-patch-and-transform, in a private network
# namespace, and writes rendered/<cloud>.yaml: what test/cli/convert.test.ts compares
# `pledge render` of the converted Composition against.
#   compositions/testdata/crossplane-docs/render-goldens.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ "${1:-}" != --inside-netns ]]; then
  BIN_DIR="$(bash "$HERE/../regenerate.sh" --build)"
  userns=(); [[ "$(id -u)" == 0 ]] || userns=(--map-root-user)
  exec unshare --net "${userns[@]}" bash "${BASH_SOURCE[0]}" --inside-netns "$BIN_DIR"
fi
BIN_DIR="$2"
ip link set lo up
work=$(mktemp -d "${TMPDIR:-/tmp}/pledge-docs-render.XXXXXX")
port=47123
"$(ls "$BIN_DIR"/function-patch-and-transform-* | head -1)" --insecure --address "127.0.0.1:$port" >"$work/function.log" 2>&1 &
fn_pid=$!
trap 'kill $fn_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
cat >"$work/functions.yaml" <<YAML
apiVersion: pkg.crossplane.io/v1
kind: Function
metadata:
  name: function-patch-and-transform
  annotations:
    render.crossplane.io/runtime: Development
    render.crossplane.io/runtime-development-target: 127.0.0.1:$port
spec:
  package: xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.10.7
YAML
render() { # cloud xr composition
  "$BIN_DIR/crossplane" render "$HERE/$1/$2" "$HERE/$1/$3" "$work/functions.yaml" --timeout 30s >"$HERE/rendered/$1.yaml"
  echo "rendered $1/$3 -> rendered/$1.yaml" >&2
}
render aws nosql-my-nosql-database.yaml dynamo-with-bucket.yaml
render azure virtualmachine-my-vm.yaml crossplane-quickstart-vm-with-network.yaml
render gcp pubsub-my-pubsub-queue.yaml topic-with-bucket.yaml
