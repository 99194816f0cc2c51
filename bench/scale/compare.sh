#!/usr/bin/env bash
# make bench-scale: Crossplane's provider-nop and Pledge side by side on NopResources, at their defaults and
# tuned, for each N in BENCH_SCALE_N (default "100 1000"). Every run gets a fresh test environment (its own
# kube-apiserver and etcd, audit log on), appends its row to bench/RESULTS.md and writes its plots; then one
# comparison plot per N: bench/results/compare-nop-n<N>-ttr-cdf.svg and -rss.svg.
set -uo pipefail
cd "$(dirname "$0")/../.."
bash bench/scale/install-provider-nop.sh >/dev/null || exit 1
failed=0
for n in ${BENCH_SCALE_N:-100 1000}; do
  for run in "provider-nop" "provider-nop --tuned" "pledge" "pledge --tuned"; do
    echo "== $run, N=$n ($(cut -d' ' -f1-3 /proc/loadavg) load)" >&2
    # shellcheck disable=SC2086 # $run is two words on purpose
    PLEDGE_TEST_AUDIT=1 node test/env/run.ts -- node bench/scale/run.ts --controller $run --n "$n" ${BENCH_SCALE_ARGS:-} || failed=1
  done
  node bench/scale/plot.ts --out "bench/results/compare-nop-n$n" bench/results/latest-*-nop-n"$n"-*.json || failed=1
done
exit "$failed"
