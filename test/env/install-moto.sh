#!/usr/bin/env bash
# Installs moto's standalone server (the AWS emulator the tests use) into a venv in the user's
# cache, once per version. Prints the path of the moto_server executable.
set -euo pipefail

MOTO_VERSION="${PLEDGE_MOTO_VERSION:-5.2.5}"
CACHE="${PLEDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pledge}"
venv="$CACHE/moto-$MOTO_VERSION"
server="$venv/bin/moto_server"

# The marker is written only after a complete install, so an interrupted one is redone.
if [[ -x "$server" && -f "$venv/.installed" ]]; then
  echo "$server"
  exit 0
fi

python="${PLEDGE_PYTHON:-$(command -v python3 || true)}"
[[ -n "$python" ]] || { echo "install-moto: python3 is needed to install moto (or set PLEDGE_PYTHON)" >&2; exit 1; }

mkdir -p "$CACHE"
# Two test runs starting at once must not install into the same venv together.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.moto-$MOTO_VERSION.lock"
  flock 9
  if [[ -x "$server" && -f "$venv/.installed" ]]; then
    echo "$server"
    exit 0
  fi
fi
rm -rf "$venv"
"$python" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
[[ -x "$server" ]] || { echo "install-moto: $server missing after install" >&2; exit 1; }
touch "$venv/.installed"
echo "$server"
