#!/usr/bin/env bash
# Runs every compiled test file (unit tests beside the code, end-to-end tests under test/) with node's runner.
# Node 20's runner does not expand globs itself, so the files are found here. One file at a time: the end-to-end
# tests share the machine's mounts, cgroups and loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."
# CI sets CI=true, and oclif's colour library then colours output even without a terminal; tests compare plain text.
export NO_COLOR=1
mapfile -t files < <(find packages/*/lib examples/*/lib test/lib -name '*.test.js' -not -path '*/node_modules/*' | sort)
exec node --test --test-concurrency=1 "${files[@]}"
