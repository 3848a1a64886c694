#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The README's main job, after ./scripts/setup.sh: builds the hit counter's images from Debian's packages and
# pushes them to a docker-registry on 127.0.0.1:5000 (examples/hit-counter/build-images.sh starts one in the
# background when nothing answers there; it stays up for later runs, storage and log in .tmp/registry,
# `node test/lib/support/local-fixture-registry-cli.js down` stops it), then runs
#
#   tsc-engine compose -f examples/hit-counter/compose.yaml up -d --wait
#   curl http://127.0.0.1:8080/
#
# — a web service (busybox httpd, a CGI script) counting hits in a redis-server container — on the embedded state
# store. A tsc-engine daemon is started in the background if none answers. The app stays up (each run counts one
# more hit); `tsc-engine compose -f examples/hit-counter/compose.yaml down -v` removes it. Exits non-zero on failure.
# EXAMPLE_REGISTRY and EXAMPLE_REGISTRY_DIR move the registry, HIT_COUNTER_PORT the app's port (its test does),
# TSC_ENGINE_HOST the daemon, TSC_ENGINE_STATE the state store.
set -euo pipefail
cd "$(dirname "$0")/.."

registry="${EXAMPLE_REGISTRY:-127.0.0.1:5000}"
port="${HIT_COUNTER_PORT:-8080}"
compose_file=examples/hit-counter/compose.yaml
export EXAMPLE_REGISTRY="$registry" HIT_COUNTER_REGISTRY="$registry" HIT_COUNTER_PORT="$port"

step() { printf '==> %s\n' "$*"; }
fail() { printf 'example: %s\n' "$*" >&2; exit 1; }

[[ -f test/lib/support/local-fixture-registry-cli.js && -f packages/cli/lib/commands/run.js ]] || fail "the checkout is not built: run ./scripts/setup.sh first"

step "images of the hit counter, on the registry $registry"
examples/hit-counter/build-images.sh || fail "could not build or push the hit counter's images (see the message above)"

# compose starts no daemon of its own; any other command does when none answers.
bin/tsc-engine info >/dev/null || fail "no tsc-engine daemon answers and none could be started"

step "tsc-engine compose -f $compose_file up -d --wait"
bin/tsc-engine compose -f "$compose_file" up -d --wait || fail "compose up failed"

step "curl http://127.0.0.1:$port/"
if command -v curl >/dev/null; then
  output="$(curl -fsS "http://127.0.0.1:$port/")" || fail "the app did not answer on port $port"
else
  output="$(busybox wget -q -O - "http://127.0.0.1:$port/")" || fail "the app did not answer on port $port"
fi
printf '%s\n' "$output"
[[ "$output" =~ ^hits:\ [0-9]+$ ]] || fail "expected \"hits: <count>\", the app answered \"$output\""
step "ok: the hit counter answers on http://127.0.0.1:$port/ (tsc-engine compose -f $compose_file down -v removes it)"
