# Sourced by the image scripts: picks the container tool and the flags this machine needs.
#   CONTAINER_TOOL   docker, podman or buildah: the first that works (set it to choose)
#   CONTAINER_FLAGS  extra flags for build and run (an array), found by probing; see probe_flags
set -euo pipefail

pick_tool() {
  if [[ -n "${CONTAINER_TOOL:-}" ]]; then return; fi
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then CONTAINER_TOOL=docker
  elif command -v podman >/dev/null; then CONTAINER_TOOL=podman
  elif command -v buildah >/dev/null; then CONTAINER_TOOL=buildah
  elif command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
    echo "no docker, podman or buildah: installing podman" >&2
    apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y podman runc >/dev/null
    CONTAINER_TOOL=podman
  else
    echo "no container tool (docker, podman or buildah) and none can be installed here" >&2
    return 1
  fi
}

# Some machines (a VM or container with hybrid cgroups v1/v2, no CAP_SYS_RESOURCE) cannot start the default OCI
# runtime: crun refuses hybrid cgroups, and podman asks for RLIMIT_NOFILE 1048576, more than the hard limit. runc
# with the limits this process already has works there. Each candidate is tried on an image until one runs `true`.
probe_flags() {
  local image=$1
  CONTAINER_FLAGS=()
  case $CONTAINER_TOOL in
    podman)
      if podman run --rm --entrypoint true "$image" >/dev/null 2>&1; then return 0; fi
      # podman starts its runtime with at most 32768 processes: a container may not ask for more.
      local nproc; nproc=$(ulimit -Hu); [[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
      local fallback=(--runtime runc --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit "nproc=$nproc:$nproc")
      if command -v runc >/dev/null && podman run --rm "${fallback[@]}" --entrypoint true "$image" >/dev/null 2>&1; then
        CONTAINER_FLAGS=("${fallback[@]}")
        return 0
      fi
      echo "podman cannot run a container here; tried the defaults and: ${fallback[*]}" >&2
      podman run --rm "${fallback[@]}" --entrypoint true "$image" >&2 || true
      return 1 ;;
    buildah)
      local ctr ok=1
      ctr=$(buildah from --quiet "$image")
      if buildah run "$ctr" true >/dev/null 2>&1; then ok=0
      elif command -v runc >/dev/null && buildah run --runtime runc "$ctr" true >/dev/null 2>&1; then CONTAINER_FLAGS=(--runtime runc); ok=0
      else echo "buildah cannot run a build step here; tried the defaults and --runtime runc" >&2
      fi
      buildah rm "$ctr" >/dev/null
      return $ok ;;
  esac
}
