#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# crun against runc: container start-to-exit latency of `true` on the busybox fixture, through tsc-engine (CLI
# `run --rm` and the API lifecycle, with each runtime as the daemon's default-runtime) and with each runtime alone.
# Prints a markdown table and keeps it with the raw samples in .tmp/bench/. See docs/benchmarks.md.
#
#   bench/runtime-latency.sh [-n RUNS] [-w WARMUP]
#
# Needs root, runc, crun, conmon and a built checkout (./scripts/setup.sh). The crun plugin is linked into a
# private plugin directory (.tmp/bench/runtime-plugins), not installed for the machine. Everything it starts — the
# fixture registry on 127.0.0.1:5000 (unless one answered already) and two daemons — is stopped on exit.
source "$(dirname "$0")/common.sh"
bench_parse_args '8p' "$@"

work="$repo/.tmp/bench"
results="$work/runtime-latency-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$work"
: >"$results.jsonl"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
export TSC_ENGINE_DATA_DIR="$work/runtime-plugins"

measure() { node bench/time-command.mjs --runs "$runs" --warmup "$warmup" "$@" | tee -a "$results.jsonl" >/dev/null; }

daemon_pid=''
stop_daemon() {
  [[ -n "$daemon_pid" ]] || return 0
  kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=''
}
cleanup() {
  stop_daemon
  bench_registry_down
}
trap cleanup EXIT

for tool in runc crun conmon umoci unshare; do command -v "$tool" >/dev/null || { echo "runtime-latency: $tool is missing: run ./scripts/setup.sh" >&2; exit 1; }; done
[[ -f packages/runtime-crun/lib/crun-module.js ]] || { echo "runtime-latency: the checkout is not built: run ./scripts/setup.sh" >&2; exit 1; }

bench_registry_up

log "linking the crun plugin into $TSC_ENGINE_DATA_DIR"
node packages/cli/bin/run.js plugins link --no-install packages/runtime-crun >/dev/null

measure --key floor --name 'harness floor: spawn `/bin/true`' -- /bin/true

# Both runtimes run the same bundle. On a hybrid cgroup host crun runs as the plugin runs it: in a private mount
# namespace with cgroup2 over /sys/fs/cgroup, and without linux.resources (dropped for both, to compare like with
# like).
bundle="$work/runtime-bundle"
bench_runc_bundle "$bundle" --no-resources
measure --key raw-runc --name 'raw `runc run` (`true`)' -- runc --root "$work/runtime-state/runc" run --bundle "$bundle" 'bench-{run}'
crun=(crun --root "$work/runtime-state/crun")
crun_name='raw `crun run` (`true`)'
if [[ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs && "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" == cgroup2fs ]]; then
  crun=(unshare --mount -- /bin/sh -c 'mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec "$@"' crun-hybrid "${crun[@]}")
  crun_name='raw `crun run` (`true`, through the hybrid-cgroup wrapper)'
fi
measure --key raw-crun --name "$crun_name" -- "${crun[@]}" run --bundle "$bundle" 'bench-{run}'

for runtime in runc crun; do
  root="$work/runtime-engine-$runtime"
  socket="$root/engine.sock"
  mkdir -p "$root/data"
  printf '{ "default-runtime": "%s" }\n' "$runtime" >"$root/data/daemon.json"
  log "tsc-engine daemon with default-runtime $runtime on $socket"
  rm -f "$socket"
  node packages/cli/bin/run.js daemon --host "$socket" --data-root "$root/data" --exec-root "$root/exec" >"$root/engine.log" 2>&1 &
  daemon_pid=$!
  wait_for curl -sf --unix-socket "$socket" http://engine/_ping || { echo "runtime-latency: the daemon did not start, see $root/engine.log" >&2; exit 1; }
  TSC_ENGINE_HOST="$socket" bin/tsc-engine pull "$image" >/dev/null
  TSC_ENGINE_HOST="$socket" measure --key "tsc-cli-$runtime" --name "tsc-engine \`run --rm --network none busybox true\` with $runtime (CLI)" -- \
    bin/tsc-engine run --rm --network none "$image" true
  node bench/api-lifecycle.mjs --runs "$runs" --warmup "$warmup" --key "tsc-api-$runtime" --name "tsc-engine API create+start+wait+delete with $runtime" \
    --socket "$socket" --image "$image" --network none | tee -a "$results.jsonl" >/dev/null
  stop_daemon
done

{
  printf 'Measured %s on %s × %s, Linux %s, %s, %s; load average at the start %s; %s runs after %s warm-up runs.\n\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$(lscpu | sed -n 's/^Model name: *//p')" "$(uname -r)" \
    "$(runc --version | head -n1)" "$(crun --version | head -n1)" "$load" "$runs" "$warmup"
  node bench/latency-table.mjs <"$results.jsonl"
} | tee "$results.md"
log "results: $results.md (samples in $results.jsonl)"
