#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# What `compose up -d` and `compose down` of a 10-service project cost, with tsc-engine's `compose` against
# docker-compose 1.29 (Debian's package) on Debian's dockerd; and, unless --no-app, how long the hit-counter
# example takes from `up -d` to its first answer. Prints a markdown table; the raw samples stay in .tmp/bench/.
# See docs/benchmarks.md.
#
#   bench/compose.sh [-n RUNS] [-w WARMUP] [--no-app]
#
#   -n RUNS    measured runs per engine (default 5)
#   -w WARMUP  unmeasured runs per engine before them (default 1)
#   --no-app   leave out the hit-counter example (whose images build-images.sh builds on first use)
#
# The project: 10 busybox services from the fixture registry, each a shell waiting on `sleep 3600` that exits on
# SIGTERM (a bare `sleep` as pid 1 ignores it, and `down` would time only the 10 s stop timeout), on the project's
# default network. Images are pulled into both engines before timing. Runs are interleaved (tsc-engine up, down,
# then docker-compose up, down) so a change of load hits both alike.
#
# Each engine runs privately under .tmp/bench/compose: a tsc-engine daemon with its own bridge `tsccomp0` and
# address pool, and a dockerd with the bridge `dockcomp0` made here (dockerd creates no bridge but docker0), its own
# address pool for project networks, and --iptables=false so it leaves the host's firewall alone. On exit the
# projects are taken down and the daemons, their bridges and what hangs on them, and the fixture registry if this
# script started it, are removed.
source "$(dirname "$0")/common.sh"

runs=5
warmup=1
app=true
bench_option() {
  case "$1" in
    --no-app) app=false; bench_shift=1 ;;
    *) return 1 ;;
  esac
}
bench_parse_args '3,24p' "$@"

work="$repo/.tmp/bench/compose"
results="$repo/.tmp/bench/compose-$(date -u +%Y%m%dT%H%M%SZ)"
sock="$work/engine.sock"
tsc_bridge=tsccomp0
tsc_pool=10.214.0.0/16
docker_bridge=dockcomp0
docker_subnet=10.199.56.0/24
docker_gateway=10.199.56.1/24
docker_pool=10.199.64.0/18
project=composebench
app_project=hitbench
app_port=18089
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

command -v dockerd >/dev/null || { echo "$0: dockerd is missing: apt-get install docker.io" >&2; exit 1; }
if ! command -v docker-compose >/dev/null; then
  log "installing docker-compose"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi

rm -rf "$work"
mkdir -p "$work/tsc/data"
: >"$results.samples"

# The project, written so that docker-compose 1.29 reads it too (no top-level `name`).
{
  echo 'services:'
  for i in $(seq 1 10); do
    printf '  s%s:\n    image: %s\n    command: ["sh", "-c", "trap '"'"'exit 0'"'"' TERM; sleep 3600 & wait"]\n' "$i" "$image"
  done
} >"$work/compose.yaml"
sed '/^name:/d' examples/hit-counter/compose.yaml >"$work/hit-counter.yaml"

tsc_compose() { TSC_ENGINE_HOST="$sock" bin/tsc-engine compose "$@"; }
docker_compose() { DOCKER_HOST="$docker_host" COMPOSE_HTTP_TIMEOUT=300 docker-compose "$@"; }

cleanup() {
  set +e # every step, even when one fails
  if [[ -f "$work/engine.pid" ]]; then
    tsc_compose -f "$work/compose.yaml" -p "$project" down >/dev/null 2>&1
    tsc_compose -f "$work/hit-counter.yaml" -p "$app_project" down -v >/dev/null 2>&1
    bench_stop_pid "$work/engine.pid"
  fi
  if [[ -n "$bench_dockerd_dir" ]]; then
    docker_compose -f "$work/compose.yaml" -p "$project" down >/dev/null 2>&1
    docker_compose -f "$work/hit-counter.yaml" -p "$app_project" down -v >/dev/null 2>&1
  fi
  bench_dockerd_down
  bench_bridge_down "$tsc_bridge"
  bench_bridge_down "$docker_bridge"
  bench_registry_down
}
trap cleanup EXIT

bench_registry_up
if $app; then
  log "hit-counter images (examples/hit-counter/build-images.sh)"
  EXAMPLE_REGISTRY="$registry" examples/hit-counter/build-images.sh >&2
fi
app_images=("$registry/hit-counter/redis" "$registry/hit-counter/web")

printf '{"bridge":"%s","dns":[],"default-address-pools":[{"base":"%s","size":24}]}\n' "$tsc_bridge" "$tsc_pool" \
  >"$work/tsc/data/daemon.json"
log "tsc-engine daemon on $sock"
node packages/cli/bin/run.js daemon --host "$sock" --data-root "$work/tsc/data" --exec-root "$work/tsc/exec" \
  >"$work/engine.log" 2>&1 &
echo $! >"$work/engine.pid"
wait_for curl -sf --unix-socket "$sock" http://engine/_ping || { echo "$0: the daemon did not start, see $work/engine.log" >&2; exit 1; }
TSC_ENGINE_HOST="$sock" bin/tsc-engine pull -q "$image" >/dev/null

bench_bridge_down "$docker_bridge" # a run that was killed
overlap="$({ ip -4 route show table all to match "$docker_subnet" | grep -v '^default' || true; }
  ip -4 route show table all root "$docker_subnet"; ip -4 route show table all root "$docker_pool")"
if [[ -n "$overlap" ]]; then
  echo "$0: $docker_subnet or $docker_pool overlaps a route of this host ($overlap); change them in $0" >&2
  exit 1
fi
ip link add "$docker_bridge" type bridge
ip addr add "$docker_gateway" dev "$docker_bridge"
ip link set "$docker_bridge" up
bench_dockerd_up "$work/docker" --bridge="$docker_bridge" --default-address-pool "base=$docker_pool,size=24"

if $app; then
  for img in "${app_images[@]}"; do
    TSC_ENGINE_HOST="$sock" bin/tsc-engine pull -q "$img" >/dev/null
    "$docker_cli" -H "$docker_host" pull -q "$img" >/dev/null
  done
fi

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# Runs a command into the samples of `key` (when `record` is true), failing the benchmark with its output if it fails.
record=false
timed() {
  local key="$1" start end
  shift
  start="$(now_ms)"
  "$@" >"$work/last.log" 2>&1 || { echo "$0: $key failed:" >&2; cat "$work/last.log" >&2; exit 1; }
  end="$(now_ms)"
  if $record; then echo "$key $((end - start))" >>"$results.samples"; fi
  log "$key: $((end - start)) ms$($record || echo ' (warm-up)')"
}
# `up -d` of the hit counter, then GET / until it answers with its count.
app_up() {
  "$@" -f "$work/hit-counter.yaml" -p "$app_project" up -d
  local i
  for ((i = 0; i < 1200; i++)); do
    curl -sf -m 1 "http://127.0.0.1:$app_port/" >/dev/null && return 0
    sleep 0.05
  done
  echo "the hit counter did not answer on 127.0.0.1:$app_port within a minute" >&2
  return 1
}
export HIT_COUNTER_REGISTRY="$registry" HIT_COUNTER_PORT="$app_port"

engines=(tsc docker)
for ((run = 1 - warmup; run <= runs; run++)); do
  if ((run >= 1)); then record=true; fi
  for engine in "${engines[@]}"; do
    compose=tsc_compose
    [[ "$engine" == tsc ]] || compose=docker_compose
    timed "$engine-up" "$compose" -f "$work/compose.yaml" -p "$project" up -d
    timed "$engine-down" "$compose" -f "$work/compose.yaml" -p "$project" down
    if $app; then
      timed "$engine-app" app_up "$compose"
      timed "$engine-app-down" "$compose" -f "$work/hit-counter.yaml" -p "$app_project" down -v
    fi
  done
done

{
  printf 'Measured %s on %s × %s, Linux %s; load average %s at the start, %s at the end; %s runs per engine after %s warm-up run(s), interleaved; %s, %s.\n\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$(lscpu | sed -n 's/^Model name: *//p')" "$(uname -r)" \
    "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)" "$runs" "$warmup" \
    "$(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /')" \
    "$(dockerd --version | sed 's/,.*//')"
  echo '| what | tsc-engine median (min–max) | docker-compose median (min–max) | tsc-engine / docker-compose | target: at most 1/3 |'
  echo '| --- | ---: | ---: | ---: | --- |'
  node bench/samples-table.mjs compose "$results.samples"
} | tee "$results.md"
log "results: $results.md (samples in $results.samples)"
