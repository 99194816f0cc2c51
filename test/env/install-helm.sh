#!/usr/bin/env bash
# Installs helm (the chart is linted and rendered with it) from its Go module into the user's cache, once per
# version. Prints the path of the helm executable.
set -euo pipefail
exec bash "$(dirname "$0")/go-install-cached.sh" helm "${PLEDGE_HELM_VERSION:-4.3.2}" helm.sh/helm/v4/cmd/helm helm
