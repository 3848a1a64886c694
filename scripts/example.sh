#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The README's main job, after ./scripts/setup.sh: builds the fixture images, makes sure a docker-registry serves
# them on 127.0.0.1:5000 (starting one in the background when nothing answers there; it stays up for later runs,
# storage and log in .tmp/registry, `node test/lib/support/local-fixture-registry-cli.js down` stops it), then runs
#
#   tsc-engine run --rm 127.0.0.1:5000/fixtures/busybox echo hello
#
# which starts a tsc-engine daemon in the background if none answers. Safe to run again; exits non-zero on failure.
# EXAMPLE_REGISTRY and EXAMPLE_REGISTRY_DIR move the registry (its test does), TSC_ENGINE_HOST the daemon.
set -euo pipefail
cd "$(dirname "$0")/.."

registry="${EXAMPLE_REGISTRY:-127.0.0.1:5000}"
registry_dir="${EXAMPLE_REGISTRY_DIR:-$PWD/.tmp/registry}"
image="$registry/fixtures/busybox"
registry_cli=test/lib/support/local-fixture-registry-cli.js

step() { printf '==> %s\n' "$*"; }
fail() { printf 'example: %s\n' "$*" >&2; exit 1; }

[[ -f "$registry_cli" && -f packages/cli/lib/commands/run.js ]] || fail "the checkout is not built: run ./scripts/setup.sh first"

step "fixtures and the local registry on $registry"
node "$registry_cli" up --host "$registry" --dir "$registry_dir" busybox || fail "could not serve the fixtures on $registry (see the message above)"

step "tsc-engine run --rm $image echo hello"
set +e
output="$(bin/tsc-engine run --rm "$image" echo hello)"
status=$?
set -e
[[ -n "$output" ]] && printf '%s\n' "$output"
((status == 0)) || fail "tsc-engine run exited with status $status"
[[ "$output" == hello ]] || fail "expected the container to print \"hello\", it printed \"$output\""
step "ok: the container printed hello"
