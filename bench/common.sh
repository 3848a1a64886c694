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
