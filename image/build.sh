#!/usr/bin/env bash
# Builds the controller image from the Dockerfile with docker, podman or buildah (image/tool.sh).
#   BASE_IMAGE  the Dockerfile's base; "local" (default) makes one with no registry (image/make-base.sh)
#   IMAGE       the tag to build (default localhost/pledge:<package.json version>)
# Prints the image's name on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
source "$here/tool.sh"
pick_tool
base=${BASE_IMAGE:-local}
[[ $base == local ]] && base=$("$here/make-base.sh")
image=${IMAGE:-localhost/pledge:$(node -p "require('$repo/package.json').version")}
probe_flags "$base"

args=(--build-arg "BASE_IMAGE=$base" --tag "$image" --file "$repo/Dockerfile")
# The extra CA Node or npm trusts here (set when the registry is reached through a TLS-intercepting proxy) goes in
# as a build secret.
cafile=${NODE_EXTRA_CA_CERTS:-$(npm config get cafile 2>/dev/null || true)}
[[ -n $cafile && $cafile != null && $cafile != undefined && -s $cafile ]] && args+=(--secret "id=build_ca,src=$cafile")
# The build's npm ci reaches the registry through the host's network: no bridge is needed to build.
args+=(--network host)

echo "building $image on $base with $CONTAINER_TOOL ${CONTAINER_FLAGS[*]}" >&2
start=$(date +%s)
case $CONTAINER_TOOL in
  docker) DOCKER_BUILDKIT=1 docker build "${args[@]}" "$repo" >&2 ;;
  podman) podman build "${CONTAINER_FLAGS[@]}" --layers "${args[@]}" "$repo" >&2 ;;
  buildah) buildah build "${CONTAINER_FLAGS[@]}" --layers "${args[@]}" "$repo" >&2 ;;
esac
echo "built $image in $(( $(date +%s) - start )) s" >&2
echo "$image"
