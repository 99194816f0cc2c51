#!/usr/bin/env bash
# Makes a base image with no registry: Debian's Essential packages and libstdc++ (mmdebstrap, from the Debian
# archive), plus the Node 24 and npm this machine runs, at /usr/local as in the official node images. The root
# filesystem tarball is cached in $PLEDGE_CACHE/image-base-<suite>-node<version>/; prints the image's name.
#   usage: image/make-base.sh [suite]   (default bookworm)
set -euo pipefail
here=$(dirname "$0")
source "$here/tool.sh"
suite=${1:-bookworm}
node_bin=$(node -p process.execPath)
node_version=$(node -p process.versions.node)
[[ ${node_version%%.*} -ge 24 ]] || { echo "node $node_version on PATH; Node 24 is needed (make node)" >&2; exit 1; }
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
npm_version=$(node -p "require('$npm_dir/package.json').version")
tag="$suite-node$node_version-npm$npm_version"
image="localhost/pledge-base:$tag"
cache="${PLEDGE_CACHE:-$HOME/.cache/pledge}/image-base-$tag"
mkdir -p "$cache"

exec 9>"$cache/.lock"
flock 9
if [[ ! -f "$cache/.installed" ]]; then
  if ! command -v mmdebstrap >/dev/null; then
    echo "installing mmdebstrap" >&2
    apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y mmdebstrap >/dev/null
  fi
  echo "making the $suite root filesystem with Node $node_version and npm $npm_version into $cache" >&2
  # Docs, manuals and translations are left out: nothing in the image reads them.
  mmdebstrap --quiet --format=tar --variant=essential --include=libstdc++6 \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --customize-hook="install -D -m 0755 '$node_bin' \"\$1/usr/local/bin/node\"" \
    --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules\" && cp -a '$npm_dir' \"\$1/usr/local/lib/node_modules/npm\"" \
    --customize-hook="ln -s ../lib/node_modules/npm/bin/npm-cli.js \"\$1/usr/local/bin/npm\"" \
    --customize-hook="ln -s ../lib/node_modules/npm/bin/npx-cli.js \"\$1/usr/local/bin/npx\"" \
    "$suite" "$cache/rootfs.tar.tmp" >&2
  mv "$cache/rootfs.tar.tmp" "$cache/rootfs.tar"
  touch "$cache/.installed"
fi

pick_tool
path_env='PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
case $CONTAINER_TOOL in
  docker) docker image inspect "$image" >/dev/null 2>&1 || docker import --change "ENV $path_env" "$cache/rootfs.tar" "$image" >/dev/null ;;
  podman) podman image exists "$image" || podman import --change "ENV $path_env" "$cache/rootfs.tar" "$image" >/dev/null ;;
  buildah)
    if ! buildah inspect --type image "$image" >/dev/null 2>&1; then
      ctr=$(buildah from scratch)
      buildah add "$ctr" "$cache/rootfs.tar" / >/dev/null
      buildah config --env "$path_env" "$ctr"
      buildah commit --rm "$ctr" "$image" >/dev/null
    fi ;;
esac
echo "$image"
