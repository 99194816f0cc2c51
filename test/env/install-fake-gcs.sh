#!/usr/bin/env bash
# Installs fake-gcs-server (the GCS emulator the tests use) from its Go module into the user's cache, once per
# version. Prints the path of the fake-gcs-server executable.
set -euo pipefail
exec bash "$(dirname "$0")/go-install-cached.sh" fake-gcs "${PLEDGE_FAKE_GCS_VERSION:-1.56.1}" github.com/fsouza/fake-gcs-server fake-gcs-server
