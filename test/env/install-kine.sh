#!/usr/bin/env bash
# Installs kine (etcd's API over one SQLite file, the way k3s runs a single node; `pledge up --storage kine`) from its
# Go module into the user's cache, once per version. Prints the path of the kine executable. SQLite needs cgo (and gcc).
set -euo pipefail
export GO_INSTALL_CGO=1
exec bash "$(dirname "$0")/go-install-cached.sh" kine "${PLEDGE_KINE_VERSION:-0.17.5}" github.com/k3s-io/kine kine
