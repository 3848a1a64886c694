# SPDX-License-Identifier: Apache-2.0
# Shared by the latency benchmarks (sourced, not run): the repository root as working directory, the run/warm-up
# options, logging, and the fixture registry on 127.0.0.1:5000 that every one of them times against.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"

# Node reads every certificate of this file at start-up (tens of ms) and no benchmark makes a TLS connection.
unset NODE_EXTRA_CA_CERTS

registry=127.0.0.1:5000
image="$registry/fixtures/busybox"
fixtures="$repo/.tmp/fixtures"
runs=30
warmup=3

log() { printf '==> %s\n' "$*" >&2; }
# Waits up to 30 s for a command to succeed.
wait_for() { local i; for ((i = 0; i < 300; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# Parses -n RUNS and -w WARMUP; any other option goes to the script's `bench_option "$@"`, which handles it and sets
# `bench_shift` to the number of words it used, or returns 1. Unknown options print lines $1 of the script (its
# usage comment) and exit 2.
bench_parse_args() {
  local usage="$1"
  shift
  while (($#)); do
    case "$1" in
      -n) runs="$2"; shift 2 ;;
      -w) warmup="$2"; shift 2 ;;
      *)
        if declare -F bench_option >/dev/null && bench_option "$@"; then shift "$bench_shift"; else
          sed -n "$usage" "$0" | sed 's/^# \{0,1\}//' >&2
          exit 2
        fi ;;
    esac
  done
}

# Starts the fixture registry unless one already answers on $registry; bench_registry_down stops only one it started.
bench_started_registry=false
bench_registry_up() {
  [[ -f test/lib/support/local-fixture-registry-cli.js ]] || { echo "$0: the checkout is not built: run ./scripts/setup.sh" >&2; exit 1; }
  log "fixture registry on $registry"
  local out
  out="$(node test/lib/support/local-fixture-registry-cli.js up --host "$registry" busybox)"
  if [[ "$out" == *"started a docker-registry"* ]]; then bench_started_registry=true; fi
}
bench_registry_down() {
  if $bench_started_registry; then node test/lib/support/local-fixture-registry-cli.js down >/dev/null; fi
}

# Stops a process this benchmark started, by its pid file: TERM, then KILL after 15 s.
bench_stop_pid() {
  local pidfile="$1" pid i
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  rm -f "$pidfile"
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# Unpacks the busybox fixture into runc bundle $1, its process running `true`, unless the bundle holds the current
# fixture already (its .stamp). `--no-resources` also drops linux.resources from the spec; `--seccomp` adds the
# engine's default seccomp filter.
bench_runc_bundle() {
  local bundle="$1" no_resources='' seccomp=''
  case "${2:-}" in '') ;; --no-resources) no_resources=1 ;; --seccomp) seccomp=1 ;; *) echo "bench_runc_bundle: unknown option $2" >&2; exit 2 ;; esac
  [[ -f "$bundle/.stamp" && "$(cat "$bundle/.stamp")" == "$(cat "$fixtures/.stamp")" ]] && return 0
  log "unpacking the busybox fixture into $bundle"
  rm -rf "$bundle"
  umoci unpack --image "$fixtures/oci/busybox:latest" "$bundle" >/dev/null
  rm "$bundle/config.json"
  (cd "$bundle" && runc spec)
  # --seccomp: the filter the engine gives a default container (Debian's profile, translated by the engine's code),
  # so raw runc pays the same filter compilation as a container the engine starts.
  node --input-type=module -e 'import fs from "node:fs"; const [path, noResources, seccomp, core] = process.argv.slice(1);
    const spec = JSON.parse(fs.readFileSync(path));
    Object.assign(spec.process, { args: ["true"], terminal: false }); if (noResources) delete spec.linux.resources;
    if (seccomp) {
      const { readSeccompProfile, DEFAULT_SECCOMP_PROFILE_PATH } = await import(`${core}/seccomp-profile.js`);
      const { ociSeccomp } = await import(`${core}/oci-seccomp.js`);
      spec.linux.seccomp = ociSeccomp(await readSeccompProfile(DEFAULT_SECCOMP_PROFILE_PATH), { capabilities: spec.process.capabilities.bounding });
    }
    fs.writeFileSync(path, JSON.stringify(spec, null, 2));' "$bundle/config.json" "$no_resources" "$seccomp" "$repo/packages/core/lib/runtime"
  cp "$fixtures/.stamp" "$bundle/.stamp"
}

# The client of the same release as Debian's dockerd when there is one (a newer CLI negotiates down anyway).
docker_cli=docker
[[ -x /usr/bin/docker ]] && docker_cli=/usr/bin/docker

# Starts a private dockerd with its socket, data root, exec root and log under directory $1 and the dockerd options
# that follow (`--bridge=…`), and pulls $image into it unless the first of them is --no-pull; sets docker_host. It leaves the host's firewall and sysctls
# alone (--iptables=false, --ip-masq=false, --ip-forward=false): the containers it runs need no traffic beyond their
# own namespace. bench_dockerd_down stops it, with the containerd it started.
bench_dockerd_dir=''
bench_dockerd_up() {
  local dir="$1" pull=true
  shift
  if [[ "${1:-}" == --no-pull ]]; then pull=false; shift; fi
  docker_host="unix://$dir/docker.sock"
  bench_dockerd_dir="$dir"
  log "dockerd on $docker_host"
  mkdir -p "$dir"
  # --pidfile keeps it off /var/run/docker.pid, which belongs to the host's dockerd, if any.
  dockerd --host "$docker_host" --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/exec/dockerd.pid" \
    --iptables=false --ip-masq=false --ip-forward=false --insecure-registry "$registry" "$@" >"$dir/dockerd.log" 2>&1 &
  echo $! >"$dir/started.pid"
  wait_for "$docker_cli" -H "$docker_host" info || { echo "$0: dockerd did not start, see $dir/dockerd.log" >&2; exit 1; }
  if $pull; then "$docker_cli" -H "$docker_host" pull -q "$image" >/dev/null; fi
}
bench_dockerd_down() {
  [[ -n "$bench_dockerd_dir" ]] || return 0
  local containerd="$bench_dockerd_dir/exec/containerd/containerd.pid"
  bench_stop_pid "$bench_dockerd_dir/started.pid"
  # A dockerd that had to be killed leaves its containerd running; one that stopped cleanly took it along.
  if [[ -f "$containerd" ]] && grep -qF "$bench_dockerd_dir/exec" "/proc/$(cat "$containerd")/cmdline" 2>/dev/null; then
    bench_stop_pid "$containerd"
  fi
  bench_dockerd_dir=''
}

# Removes bridge $1, which the benchmark made for its own daemon, with what hangs on it: firewall rules naming it
# and veths still attached (a daemon stopped mid-run does not remove its endpoints).
bench_bridge_down() {
  local bridge="$1" table rule veth
  for table in filter nat; do
    iptables -w -t "$table" -S | { grep -E -- "-[io] $bridge( |\$)" || true; } | sed 's/^-A /-D /' |
      while read -r rule; do eval "iptables -w -t $table $rule" || true; done
  done
  for veth in $(ip -o link show master "$bridge" 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
    ip link del "$veth" 2>/dev/null || true
  done
  ip link del "$bridge" 2>/dev/null || true
}
