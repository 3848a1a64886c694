#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# What the default bridge network costs a container's start: the API's create+start+wait+delete of busybox `true`
# with `NetworkMode: none` against `bridge` (and, for tsc-engine, a user-defined network, which adds the embedded
# DNS's files), on a private tsc-engine daemon and a private dockerd. Prints a markdown table; the raw JSON lines stay
# in .tmp/bench/. See docs/benchmarks.md.
#
#   bench/network-start.sh [-n RUNS] [-w WARMUP] [-r ROUNDS] [--only tsc,docker]
#
#   -n RUNS      measured runs per mode and round (default 30)
#   -w WARMUP    unmeasured runs before them (default 3)
#   -r ROUNDS    rounds, each timing every mode in turn (default 2)
#   --only LIST  time only these engines (docker is left out, with a note, when dockerd is not installed)
#
# Each daemon gets its own bridge and data root: tsc-engine `tscbench0` (a subnet from its pools), dockerd
# `dockbench0` on 10.199.54.0/24, made here because dockerd creates no bridge but docker0, and run with
# --iptables=false so it leaves the host's firewall alone. Both bridges, what hangs on them, the daemons and the
# fixture registry if this script started it are removed on exit.
source "$(dirname "$0")/common.sh"

only=tsc,docker
rounds=2
bench_option() {
  case "$1" in
    -r) rounds="$2"; bench_shift=2 ;;
    --only) only="$2"; bench_shift=2 ;;
    *) return 1 ;;
  esac
}
bench_parse_args '3,19p' "$@"
wants() { [[ ",$only," == *",$1,"* ]]; }

work="$repo/.tmp/bench/network"
results="$repo/.tmp/bench/network-start-$(date -u +%Y%m%dT%H%M%SZ)"
sock="$work/engine.sock"
docker_bridge=dockbench0
docker_subnet=10.199.54.0/24
docker_gateway=10.199.54.1/24
mkdir -p "$work/data"
: >"$results.jsonl"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

cleanup() {
  set +e # every step, even when one fails
  if [[ -f "$work/engine.pid" ]]; then
    TSC_ENGINE_HOST="$sock" bin/tsc-engine network rm benchnet >/dev/null 2>&1 || true
    bench_stop_pid "$work/engine.pid"
  fi
  bench_dockerd_down
  # The default bridges outlive their daemons, as docker0 does; these were the benchmark's own.
  bench_bridge_down tscbench0
  bench_bridge_down "$docker_bridge"
  bench_registry_down
}
trap cleanup EXIT

if wants docker && ! command -v dockerd >/dev/null; then
  log "docker: not measured: docker.io is not installed (apt-get install docker.io)"
  only="${only//docker/}"
fi

bench_registry_up

modes=()
if wants tsc; then
  echo '{"bridge":"tscbench0","dns":[]}' >"$work/data/daemon.json"
  rm -f "$sock"
  log "tsc-engine daemon on $sock"
  node packages/cli/bin/run.js daemon --host "$sock" --data-root "$work/data" --exec-root "$work/exec" >"$work/engine.log" 2>&1 &
  echo $! >"$work/engine.pid"
  wait_for curl -sf --unix-socket "$sock" http://engine/_ping || { echo "$0: the daemon did not start, see $work/engine.log" >&2; exit 1; }
  TSC_ENGINE_HOST="$sock" bin/tsc-engine pull "$image" >/dev/null
  TSC_ENGINE_HOST="$sock" bin/tsc-engine network create benchnet >/dev/null
  modes+=("tsc none $sock" "tsc bridge $sock" "tsc benchnet $sock")
fi

if wants docker; then
  bench_bridge_down "$docker_bridge" # a run that was killed
  overlap="$({ ip -4 route show table all to match "$docker_subnet" | grep -v '^default' || true; }
    ip -4 route show table all root "$docker_subnet")"
  if [[ -n "$overlap" ]]; then
    echo "$0: $docker_subnet overlaps a route of this host ($overlap); change docker_subnet in $0" >&2
    exit 1
  fi
  ip link add "$docker_bridge" type bridge
  ip addr add "$docker_gateway" dev "$docker_bridge"
  ip link set "$docker_bridge" up
  bench_dockerd_up "$work/docker" --bridge="$docker_bridge"
  modes+=("docker none ${docker_host#unix://}" "docker bridge ${docker_host#unix://}")
fi

# Rounds, interleaved, so a change of load on the machine hits every mode alike.
for ((round = 1; round <= rounds; round++)); do
  for entry in "${modes[@]}"; do
    read -r engine mode socket <<<"$entry"
    log "round $round: $engine --network $mode"
    node bench/api-lifecycle.mjs --runs "$runs" --warmup "$warmup" --socket "$socket" --image "$image" \
      --key "$engine-$mode-$round" --name "$engine-$mode" --network "$mode" >>"$results.jsonl"
  done
done

{
  printf 'Measured %s on %s × %s, Linux %s; load average %s at the start, %s at the end; %s runs per mode and round after %s warm-up runs, %s rounds.\n\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$(lscpu | sed -n 's/^Model name: *//p')" "$(uname -r)" \
    "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)" "$runs" "$warmup" "$rounds"
  node bench/network-table.mjs <"$results.jsonl"
} | tee "$results.md"
log "results: $results.md (samples in $results.jsonl)"
