#!/usr/bin/env bash
# Regenerates the golden outputs of the composition differential cases with Crossplane's own
# renderer: `crossplane render` (module github.com/crossplane/crossplane/v2, package cmd/crank)
# driving function-patch-and-transform (and function-auto-ready for spec.autoReady), plus
# tools/connection-details-probe for cases with observed connection details (render cannot pass them). All are built from Go modules into the user's
# cache, once per version, never into the repo. See README.md beside this script.
#
#   compositions/testdata/regenerate.sh            # build if needed, render every case, write expected.yaml
#   compositions/testdata/regenerate.sh CASE...    # only these cases
#   compositions/testdata/regenerate.sh --check    # render into a temp dir and diff against the goldens
#   compositions/testdata/regenerate.sh --build    # only build (prints the binaries' folder)
#   PLEDGE_TESTDATA_KEEP=1 compositions/testdata/regenerate.sh CASE   # keep render's raw output
#
# Needs: Go (1.25+), Node 24 (the repo's node, for the YAML conversion), unshare and ip (util-linux,
# iproute2). Rendering runs in a private network namespace: the function always opens a metrics
# listener on :8080 (function-sdk-go default, no flag), and it must not be reachable from outside.
set -euo pipefail

CROSSPLANE_VERSION="${PLEDGE_CROSSPLANE_VERSION:-2.2.1}"
PT_VERSION="${PLEDGE_PT_VERSION:-0.10.7}"
AUTO_READY_VERSION="${PLEDGE_AUTO_READY_VERSION:-0.7.0}"
CACHE="${PLEDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pledge}"
BIN_DIR="$CACHE/crossplane-$CROSSPLANE_VERSION"
CROSSPLANE="$BIN_DIR/crossplane"
FUNCTION="$BIN_DIR/function-patch-and-transform-$PT_VERSION"
AUTO_READY="$BIN_DIR/function-auto-ready-$AUTO_READY_VERSION"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CASES_DIR="$HERE/cases"
TOOLS="$HERE/tools"
PROBE_SRC="$TOOLS/connection-details-probe/main.go"
PROBE="$BIN_DIR/connection-details-probe-$PT_VERSION-$(sha256sum "$PROBE_SRC" | cut -c1-12)"
NODE_BIN="$CACHE/node24/node_modules/.bin"
[[ -d "$NODE_BIN" ]] && export PATH="$NODE_BIN:$PATH"

log() { echo "regenerate: $*" >&2; }

ensure_node() {
  if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' 2>/dev/null; then
    log "Node 24 is needed (the tools are TypeScript run by node): installing it with 'make node'"
    PLEDGE_CACHE="$CACHE" make -s -C "$REPO" node >&2
    export PATH="$NODE_BIN:$PATH"
  fi
  [[ -d "$REPO/node_modules/yaml" ]] || { log "the repo's node_modules are missing: run 'make deps' first"; exit 1; }
}

# ---------------------------------------------------------------------------------------------
# Build (cached by version). `go install module/pkg@version` is not used: it asks the proxy for
# the module's version list (deprecation check), which the proxy may refuse, and it ignores the
# module's replace directives. A throwaway module requires the tool's module at the exact
# version, copies its non-local replace directives, and builds the package.
# ---------------------------------------------------------------------------------------------
copy_replaces() { # $1: path of the tool module's go.mod; edits ./go.mod
  local edits
  edits=$(go mod edit -json "$1" | node -e '
    let s = ""; process.stdin.on("data", (d) => { s += d; }).on("end", () => {
      for (const r of JSON.parse(s).Replace ?? []) {
        if (r.New.Path.startsWith(".") || r.New.Path.startsWith("/")) {
          console.error(`local replace ${r.Old.Path} => ${r.New.Path} cannot be copied`); process.exit(1);
        }
        const oldV = r.Old.Version ? "@" + r.Old.Version : "";
        console.log(`-replace=${r.Old.Path}${oldV}=${r.New.Path}@${r.New.Version}`);
      }
    });')
  if [[ -n "$edits" ]]; then
    # shellcheck disable=SC2086 # one argument per line, none with spaces
    go mod edit $edits
  fi
}

# $8, when given: the path the module is served under when it differs from the one its go.mod
# declares ($2; function-auto-ready moved from crossplane-contrib to crossplane but is served under
# its old path) — required as $2, replaced by $8 at the same version.
build_tool() { # $1 name, $2 module, $3 version (with v), $4 package, $5 output file, $6 extra ldflags, $7 main.go of our own, $8 served path
  local name="$1" module="$2" version="$3" pkg="$4" out="$5" ldflags="${6:-}" own_main="${7:-}" served="${8:-$2}"
  local dir="$CACHE/build/$name-$version"
  rm -rf "$dir" && mkdir -p "$dir"
  (
    cd "$dir"
    printf 'module pledge.local/%s-build\n\ngo 1.25\n\nrequire %s %s\n' "$name" "$module" "$version" > go.mod
    [[ "$served" == "$module" ]] || go mod edit "-replace=$module=$served@$version"
    local gomod
    gomod=$(go mod download -json "$served@$version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    copy_replaces "$gomod"
    # The package is a main package: a tools file lets `go mod tidy` resolve its imports.
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$pkg" > tools.go
    if [[ -n "$own_main" ]]; then cp "$own_main" main.go; pkg=.; fi
    go mod tidy >&2
    rm tools.go
    go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg" >&2
    mv "$out.tmp" "$out"
  )
}

crossplane_module() {
  case "$CROSSPLANE_VERSION" in
    1.*) echo "github.com/crossplane/crossplane" ;;
    *) echo "github.com/crossplane/crossplane/v${CROSSPLANE_VERSION%%.*}" ;;
  esac
}

built() { [[ -x "$CROSSPLANE" && -x "$FUNCTION" && -f "$BIN_DIR/.installed-$PT_VERSION" && -x "$PROBE" && -x "$AUTO_READY" ]]; }

ensure_built() {
  if built; then return; fi
  command -v go >/dev/null || { log "Go is needed to build crossplane and function-patch-and-transform"; exit 1; }
  mkdir -p "$BIN_DIR"
  if command -v flock >/dev/null; then
    exec 9>"$CACHE/.crossplane-$CROSSPLANE_VERSION.lock"
    flock 9
    if built; then return; fi
  fi
  export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod"
  local module
  module=$(crossplane_module)
  if [[ ! -x "$CROSSPLANE" ]]; then
    log "building crossplane v$CROSSPLANE_VERSION into $BIN_DIR (once; several minutes)"
    build_tool crossplane "$module" "v$CROSSPLANE_VERSION" "$module/cmd/crank" "$CROSSPLANE" \
      "-X $module/internal/version.version=v$CROSSPLANE_VERSION"
  fi
  if [[ ! -x "$FUNCTION" ]]; then
    log "building function-patch-and-transform v$PT_VERSION into $BIN_DIR (once)"
    build_tool function-patch-and-transform github.com/crossplane-contrib/function-patch-and-transform \
      "v$PT_VERSION" github.com/crossplane-contrib/function-patch-and-transform "$FUNCTION"
  fi
  touch "$BIN_DIR/.installed-$PT_VERSION"
  if [[ ! -x "$AUTO_READY" ]]; then
    log "building function-auto-ready v$AUTO_READY_VERSION into $BIN_DIR (once)"
    build_tool function-auto-ready github.com/crossplane/function-auto-ready \
      "v$AUTO_READY_VERSION" github.com/crossplane/function-auto-ready "$AUTO_READY" "" "" \
      github.com/crossplane-contrib/function-auto-ready
  fi
  if [[ ! -x "$PROBE" ]]; then
    # Our own client, built against the function's module so it speaks its function-sdk-go version.
    log "building connection-details-probe against function-patch-and-transform v$PT_VERSION"
    build_tool connection-details-probe github.com/crossplane-contrib/function-patch-and-transform \
      "v$PT_VERSION" github.com/crossplane-contrib/function-patch-and-transform "$PROBE" "" "$PROBE_SRC"
  fi
}

# ---------------------------------------------------------------------------------------------
# Render (inside the private network namespace).
# ---------------------------------------------------------------------------------------------
free_port() {
  node -e 'const s = require("node:net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

wait_for_port() { # $1 port, $2 pid; up to 30 s
  local i
  for ((i = 0; i < 300; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

render_cases() { # $1 mode (write|check), rest: case names
  local mode="$1"; shift
  ip link set lo up
  local work port fn_pid ar_port ar_pid
  work=$(mktemp -d "${TMPDIR:-/tmp}/pledge-testdata.XXXXXX")
  port=$(free_port)
  "$FUNCTION" --insecure --address "127.0.0.1:$port" >"$work/function.log" 2>&1 &
  fn_pid=$!
  # shellcheck disable=SC2064 # expand now: the values are fixed
  local cleanup="rm -rf '$work'"
  [[ -n "${PLEDGE_TESTDATA_KEEP:-}" ]] && cleanup="echo 'regenerate: render inputs and outputs kept in $work' >&2"
  trap "kill $fn_pid 2>/dev/null || true; wait $fn_pid 2>/dev/null || true; $cleanup" EXIT
  wait_for_port "$port" "$fn_pid" || { log "function did not listen on 127.0.0.1:$port"; cat "$work/function.log" >&2; exit 1; }
  # function-auto-ready, for cases whose Composition has spec.autoReady (the step after P&T).
  ar_port=$(free_port)
  "$AUTO_READY" --insecure --address "127.0.0.1:$ar_port" >"$work/auto-ready.log" 2>&1 &
  ar_pid=$!
  trap "kill $fn_pid $ar_pid 2>/dev/null || true; wait $fn_pid $ar_pid 2>/dev/null || true; $cleanup" EXIT
  wait_for_port "$ar_port" "$ar_pid" || { log "function-auto-ready did not listen on 127.0.0.1:$ar_port"; cat "$work/auto-ready.log" >&2; exit 1; }

  local failed=0 name case_dir out args
  for name in "$@"; do
    case_dir="$CASES_DIR/$name"
    out="$work/$name"
    mkdir -p "$out"
    node "$TOOLS/crossplane-inputs.ts" "$case_dir" "$out" "127.0.0.1:$port" "127.0.0.1:$ar_port"
    args=(--include-function-results --timeout 30s)
    [[ -f "$case_dir/observed.yaml" ]] && args+=(--observed-resources "$out/observed.yaml")
    local normalise=("$case_dir" "$out/render.yaml")
    if [[ -f "$out/probe-request.json" ]]; then
      # render cannot pass observed connection details: ask the function directly for them.
      "$PROBE" "127.0.0.1:$port" <"$out/probe-request.json" >"$out/probe.json"
      normalise=(--connection-details "$out/probe.json" "${normalise[@]}")
    fi
    if ! "$CROSSPLANE" render "$out/xr.yaml" "$out/composition.yaml" "$out/functions.yaml" "${args[@]}" \
      >"$out/render.yaml" 2>"$out/render.err"; then
      if ! grep -q 'returned a fatal result' "$out/render.err"; then
        log "$name: crossplane render failed:"; cat "$out/render.err" >&2
        failed=1
        continue
      fi
      normalise=(--fatal "$case_dir" "$out/render.err")
    fi
    if [[ "$mode" == write ]]; then
      node "$TOOLS/expected-from-render.ts" "${normalise[@]}"
      log "$name: ok"
    else
      mkdir -p "$out/golden"
      node "$TOOLS/expected-from-render.ts" "${normalise[@]}" "$out/golden"
      local f
      for f in expected.yaml results.yaml; do
        if ! diff -u --label "$name/$f (committed)" --label "$name/$f (rendered)" \
          <(cat "$case_dir/$f" 2>/dev/null || true) <(cat "$out/golden/$f" 2>/dev/null || true) >&2; then
          failed=1
        fi
      done
      log "$name: checked"
    fi
  done
  return "$failed"
}

main() {
  local mode=write
  local names=()
  while (($#)); do
    case "$1" in
      --check) mode=check ;;
      --build) mode=build ;;
      --inside-netns) shift; mode="$1"; shift; render_cases "$mode" "$@"; return ;;
      -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}"; return ;;
      -*) log "unknown option $1"; exit 2 ;;
      *) names+=("$1") ;;
    esac
    shift
  done
  ensure_node
  ensure_built
  if [[ "$mode" == build ]]; then echo "$BIN_DIR"; return; fi
  if ((${#names[@]} == 0)); then
    local d
    for d in "$CASES_DIR"/*/; do names+=("$(basename "$d")"); done
  fi
  local n
  for n in "${names[@]}"; do [[ -f "$CASES_DIR/$n/xr.yaml" ]] || { log "no case $n"; exit 2; }; done
  command -v unshare >/dev/null && command -v ip >/dev/null || { log "unshare (util-linux) and ip (iproute2) are needed"; exit 1; }
  local userns=()
  [[ "$(id -u)" == 0 ]] || userns=(--map-root-user)
  cd "$REPO"
  unshare --net "${userns[@]}" bash "${BASH_SOURCE[0]}" --inside-netns "$mode" "${names[@]}"
}

main "$@"; exit $?
