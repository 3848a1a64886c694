#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Container start-to-exit latency of tsc-engine and its peers on the busybox fixture, run `true`, sequentially.
# Prints a markdown table (median, p90…) and keeps it with the raw samples in .tmp/bench/. See docs/benchmarks.md.
#
#   bench/run-latency.sh [-n RUNS] [-w WARMUP] [--only cli,api,runc,docker,podman] [--install]
#
#   -n RUNS      measured runs per benchmark (default 30)
#   -w WARMUP    unmeasured runs before them (default 3)
#   --only LIST  run only these benchmarks
#   --install    apt-get install docker.io and podman when missing (else those rows say "not installed")
#
# Everything it starts — the fixture registry on 127.0.0.1:5000 (unless one answered already), a tsc-engine daemon
# and a dockerd on private sockets — is stopped on exit. State (unpacked rootfs, image stores) stays in .tmp/bench.
source "$(dirname "$0")/common.sh"

only=cli,api,runc,docker,podman
install=false
bench_option() {
  case "$1" in
    --only) only="$2"; bench_shift=2 ;;
    --install) install=true; bench_shift=1 ;;
    *) return 1 ;;
  esac
}
bench_parse_args '3,13p' "$@"

work="$repo/.tmp/bench"
results="$work/latency-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$work"
: >"$results.jsonl"
# Other work on the machine skews latencies: the load at the start goes into the results.
load="$(cut -d' ' -f1-3 /proc/loadavg)"

wants() { [[ ",$only," == *",$1,"* ]]; }
skip() {
  node -e 'const [key, name, skipped] = process.argv.slice(1); console.log(JSON.stringify({ key, name, skipped }))' \
    "$1" "$2" "$3" >>"$results.jsonl"
  log "$2: not measured: $3"
}
measure() { node bench/time-command.mjs --runs "$runs" --warmup "$warmup" "$@" | tee -a "$results.jsonl" >/dev/null; }
lifecycle() { node bench/api-lifecycle.mjs --runs "$runs" --warmup "$warmup" "$@" | tee -a "$results.jsonl" >/dev/null; }
cleanup() {
  bench_stop_pid "$work/engine.pid"
  bench_dockerd_down
  bench_registry_down
}
trap cleanup EXIT

for tool in runc umoci; do command -v "$tool" >/dev/null || { echo "run-latency: $tool is missing: run ./scripts/setup.sh" >&2; exit 1; }; done
bench_registry_up

# What the harness itself costs per spawned command, to read the other rows against.
measure --key floor --name 'harness floor: spawn `/bin/true`' -- /bin/true

if wants cli || wants api; then
  log "tsc-engine daemon on $work/engine.sock"
  rm -f "$work/engine.sock"
  node packages/cli/bin/run.js daemon --host "$work/engine.sock" --data-root "$work/engine/data" \
    --exec-root "$work/engine/exec" >"$work/engine.log" 2>&1 &
  echo $! >"$work/engine.pid"
  engine_error=''
  if ! wait_for curl -sf --unix-socket "$work/engine.sock" http://engine/_ping; then
    engine_error="the daemon did not start: $(grep -m1 -A2 -iE 'error|cannot' "$work/engine.log" || tail -n3 "$work/engine.log")"
  elif ! TSC_ENGINE_HOST="$work/engine.sock" bin/tsc-engine pull "$image" >"$work/engine-pull.log" 2>&1; then
    engine_error="pull failed: $(tail -n1 "$work/engine-pull.log")"
  fi
  engine_error="$(printf '%s' "$engine_error" | tr -s ' \n|' ' ' | sed "s|$repo/||g" | cut -c1-200)"
  if wants cli; then
    name='tsc-engine `run --rm --network none busybox true` (CLI)'
    if [[ -n "$engine_error" ]]; then skip tsc-cli "$name" "$engine_error"
    else TSC_ENGINE_HOST="$work/engine.sock" measure --key tsc-cli --name "$name" -- bin/tsc-engine run --rm --network none "$image" true || skip tsc-cli "$name" "run failed, see above"
    fi
  fi
  if wants api; then
    name='tsc-engine API create+start+wait+delete (`NetworkMode: none`)'
    if [[ -n "$engine_error" ]]; then skip tsc-api "$name" "$engine_error"
    else lifecycle --key tsc-api --name "$name" --socket "$work/engine.sock" --image "$image" --network none || skip tsc-api "$name" "lifecycle failed, see above"
    fi
  fi
  bench_stop_pid "$work/engine.pid"
fi

if wants runc; then
  bundle="$work/runc-bundle"
  bench_runc_bundle "$bundle"
  measure --key runc --name 'raw `runc run` (same rootfs, `true`)' -- \
    runc --root "$work/runc-state" run --bundle "$bundle" 'bench-{run}'
  bench_runc_bundle "$work/runc-seccomp-bundle" --seccomp
  measure --key runc-seccomp --name 'raw `runc run` with the default seccomp filter the engine applies' -- \
    runc --root "$work/runc-state" run --bundle "$work/runc-seccomp-bundle" 'bench-seccomp-{run}'
fi

if $install; then
  missing=()
  wants docker && ! command -v dockerd >/dev/null && missing+=(docker.io)
  wants podman && ! command -v podman >/dev/null && missing+=(podman)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

if wants docker; then
  if ! command -v dockerd >/dev/null; then
    skip docker-cli 'docker `run --rm --network none busybox true` (CLI)' 'docker.io is not installed (--install)'
    skip docker-api 'docker API create+start+wait+delete' 'docker.io is not installed (--install)'
  else
    if "$docker_cli" info >/dev/null 2>&1; then
      docker_host="${DOCKER_HOST:-unix:///var/run/docker.sock}"
      log "using the running docker daemon at $docker_host"
      "$docker_cli" -H "$docker_host" pull -q "$image" >/dev/null
    else
      bench_dockerd_up "$work/docker" --bridge=none
    fi
    measure --key docker-cli --name "docker $("$docker_cli" -H "$docker_host" version -f '{{.Server.Version}}') \`run --rm --network none busybox true\` (CLI)" -- \
      "$docker_cli" -H "$docker_host" run --rm --network none "$image" true
    lifecycle --key docker-api --name 'docker API create+start+wait+delete (`NetworkMode: none`)' \
      --socket "${docker_host#unix://}" --image "$image" --network none
    bench_dockerd_down
  fi
fi

if wants podman; then
  if ! command -v podman >/dev/null; then
    skip podman 'podman `run --rm --network none busybox true`' 'podman is not installed (--install)'
  else
    podman=(podman --root "$work/podman/root" --runroot "$work/podman/run" --tmpdir "$work/podman/tmp"
      --cgroup-manager=cgroupfs --runtime runc --events-backend=file)
    # As root, podman asks runc for nofile and nproc limits above this machine's hard limits (even nproc at the
    # shell's own hard limit fails in runc's init with EPERM), so the container gets low explicit ones: `true`
    # opens no files and starts no processes.
    limits=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
    "${podman[@]}" pull -q --tls-verify=false "$image" >/dev/null
    measure --key podman --name "podman $(podman version -f '{{.Client.Version}}') \`run --rm --network none busybox true\` (runc)" -- \
      "${podman[@]}" run --rm --network none "${limits[@]}" "$image" true
  fi
fi

{
  printf 'Measured %s on %s × %s, %s GiB, Linux %s; load average at the start %s; %s runs after %s warm-up runs.\n\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$(lscpu | sed -n 's/^Model name: *//p')" \
    "$(free -g | awk '/^Mem:/ {print $2}')" "$(uname -r)" "$load" "$runs" "$warmup"
  node bench/latency-table.mjs <"$results.jsonl"
} | tee "$results.md"
log "results: $results.md (samples in $results.jsonl)"
