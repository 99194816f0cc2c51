# Pledge's controller image. `make image` builds it (image/build.sh: docker, podman or buildah, whichever works);
# by default on a base made locally from Debian and this machine's Node 24 (image/make-base.sh). Any image with
# Node >= 24 and npm on PATH (/usr/local/bin) will do as BASE_IMAGE.
ARG BASE_IMAGE=node:24-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Behind a TLS-intercepting proxy, pass its CA as the build secret build_ca (image/build.sh forwards Node's or npm's):
# it is mounted for this one step and never lands in a layer.
RUN --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/build_ca; fi; \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --update-notifier=false && rm -rf /root/.npm
# The same paths as test/install/shipped-files.ts (.dockerignore drops the tests and their data).
COPY bin bin
COPY core core
COPY providers providers
COPY compositions compositions
COPY crds crds
COPY health/lua health/lua

FROM ${BASE_IMAGE}
# Everything under /app belongs to root and is read-only to the controller, which runs as a numeric non-root user
# and writes nothing to the filesystem (it logs to stdout): the image runs with a read-only root filesystem and no
# tmpfs. Node as PID 1 gets no default signal handling, but `pledge run` handles SIGTERM and SIGINT itself, and its
# code starts no processes (node reaps any direct child a library starts, e.g. a kubeconfig exec plugin): no init.
COPY --from=build /app /app
WORKDIR /app
ENV NODE_ENV=production
USER 65532:65532
ENTRYPOINT ["node", "/app/bin/pledge.ts"]
CMD ["run"]
