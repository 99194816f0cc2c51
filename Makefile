# Pledge — every target installs what it needs. Caches live outside the clone (PLEDGE_CACHE).
SHELL := /bin/bash
PLEDGE_CACHE ?= $(HOME)/.cache/pledge
export PLEDGE_CACHE
NODE24_DIR := $(PLEDGE_CACHE)/node24
# Node 24 LTS from the npm registry's `node` package when the machine's node is older.
export PATH := $(NODE24_DIR)/node_modules/.bin:$(PATH)

UNIT_TESTS := 'core/**/*.test.ts' 'providers/**/*.test.ts' 'compositions/**/*.test.ts'
ENV_TESTS := 'test/**/*.test.ts'

.PHONY: install node deps kube moto fake-gcs helm kine up chromium build typecheck lint crds test test-unit test-integration dev run clean bench chaos bench-scale image image-test

install: node deps kube moto fake-gcs helm chromium kine

node:
	@if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' 2>/dev/null; then \
	  echo "installing Node.js 24 into $(NODE24_DIR)"; \
	  mkdir -p $(NODE24_DIR) && npm install --prefix $(NODE24_DIR) --no-save --no-audit --no-fund node@24 >/dev/null; \
	fi
	@node --version

deps: node node_modules/.installed

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

kube:
	@bash test/env/build-kube.sh >/dev/null

moto:
	@bash test/env/install-moto.sh >/dev/null

fake-gcs:
	@bash test/env/install-fake-gcs.sh >/dev/null

helm:
	@bash test/env/install-helm.sh >/dev/null

# kine (etcd's API over SQLite) for `pledge up --storage kine`; needs Go and gcc (cgo), cached in PLEDGE_CACHE.
kine:
	@bash test/env/install-kine.sh >/dev/null

# Debian's Chromium for the web view's browser tests (test/ui/; playwright-core downloads no browser).
chromium:
	@bash test/env/install-chromium.sh >/dev/null

typecheck: deps
	npx tsc --noEmit

# Biome: recommended rules plus noFloatingPromises/noMisusedPromises (biome.json); a few seconds.
lint: deps
	npx biome lint --error-on-warnings

build: typecheck

# One generator, two copies: crds/ and the chart's crds/ (test/crds-fresh.test.ts fails on a stale one).
crds: deps
	node bin/pledge.ts crds --out crds
	node bin/pledge.ts crds --out helm/pledge/crds

# Unit files at once with no environment; the rest side by side in lanes, each lane its own environment
# (test/env/run-suite.ts; PLEDGE_TEST_LANES=1 runs them one after another on one environment).
test: install typecheck lint
	node test/env/run-suite.ts --unit $(UNIT_TESTS) --env $(ENV_TESTS)

test-unit: deps
	node --test $(UNIT_TESTS)

test-integration: install
	node test/env/run-suite.ts --env $(ENV_TESTS)

# A persistent local control plane for a person (pledge up): kube-apiserver on kine (SQLite), the CRDs, the controllers and
# cloudsim for all three clouds, data in ~/.local/share/pledge; Ctrl-C stops it, `make up` again resumes. UP_ARGS adds flags.
up: node deps kube kine
	node bin/pledge.ts up --sim $(UP_ARGS)

# For contributors: the test environment (kube-apiserver + etcd + moto, cloudsim), the CRDs and the controllers; all gone on Ctrl-C.
dev: install
	node test/env/run.ts -- bash test/env/dev.sh

run: deps
	node bin/pledge.ts run

# Benchmarks print figures; they are never part of `make test`. Results go in bench/RESULTS.md.
bench: install
	node test/env/run.ts -- node bench/steady-state-calls.ts
	node test/env/run.ts -- node bench/ui-footprint.ts
	node test/env/run.ts -- node bench/watch-requests.ts
	$(MAKE) bench-scale

# Pledge and Crossplane's provider-nop v0.5.0 (built from its Go module, cached) side by side on NopResources,
# defaults and tuned, each run on a fresh kube-apiserver with its audit log; BENCH_SCALE_N="100 1000" by default
# (about an hour: provider-nop at its defaults reconciles about one resource a second). bench/scale/run.ts
# runs one configuration, e.g. for GCS Buckets on cloudsim: --controller pledge --kind gcs --n 1000.
bench-scale: install
	bash bench/scale/compare.sh

# Chaos: pledge run SIGKILLed from outside 0.3–3 s after each start (caches synced) through CHAOS_N creates and
# their deletion on cloudsim, with a 30 s cloud outage and a kube-apiserver + etcd restart; prints a verdict
# from cloudsim's counters and state (0 duplicates, 0 leaks, no crash loop). Never part of `make test` (its smoke
# is). Starts its own environment: only that process can restart the API server. Results in bench/RESULTS.md.
CHAOS_N ?= 1000
CHAOS_KILL_INTERVAL ?= 0.3-3
CHAOS_MIN_KILLS ?= 500
CHAOS_FLAGS ?=
chaos: install
	node test/chaos/run.ts --n $(CHAOS_N) --kill-interval $(CHAOS_KILL_INTERVAL) --min-kills $(CHAOS_MIN_KILLS) $(CHAOS_FLAGS)

# The controller image (Dockerfile) with docker, podman or buildah, whichever works (image/build.sh). BASE_IMAGE=local
# (default) makes the base with no registry: Debian via mmdebstrap plus this Node 24 (image/make-base.sh, cached);
# BASE_IMAGE=<any image with Node 24 and npm> uses that. image-test runs the image against the test API server and
# moto (test/image/container-run.ts); neither is part of `make test`, which needs no container runtime.
BASE_IMAGE ?= local
export BASE_IMAGE
image: node
	bash image/build.sh

image-test: install image
	node test/env/run.ts -- node --test test/image/container-run.ts

clean:
	rm -rf node_modules
