#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# What the default bridge network costs a container's start: the API's create+start+wait+delete of busybox `true`
# with `NetworkMode: none` against `bridge` (and a user-defined network, which adds the embedded DNS's files), on
# one private tsc-engine daemon. Prints a markdown table; the raw JSON lines stay in .tmp/bench/. See
# docs/benchmarks.md.
#
#   bench/network-start.sh [-n RUNS] [-w WARMUP]
#
# The daemon gets its own bridge (tscbench0) and its own data root; both, and the fixture registry if this script
# started it, are removed on exit.
source "$(dirname "$0")/common.sh"
bench_parse_args '3,12p' "$@"

work="$repo/.tmp/bench/network"
results="$repo/.tmp/bench/network-start-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
sock="$work/engine.sock"
mkdir -p "$work/data"
: >"$results"
cleanup() {
  if [[ -f "$work/engine.pid" ]]; then
    TSC_ENGINE_HOST="$sock" bin/tsc-engine network rm benchnet >/dev/null 2>&1 || true
    kill -TERM "$(cat "$work/engine.pid")" 2>/dev/null || true
    wait "$(cat "$work/engine.pid")" 2>/dev/null || true
    rm -f "$work/engine.pid"
  fi
  # The default bridge outlives a daemon, as docker0 does; this one was the benchmark's own.
  for table in filter nat; do
    iptables -w -t "$table" -S | grep -E -- '(-[io] |-o )tscbench0( |$)' | sed 's/^-A /-D /' |
      while read -r rule; do eval "iptables -w -t $table $rule" || true; done
  done
  ip link del tscbench0 2>/dev/null || true
  bench_registry_down
}
trap cleanup EXIT

bench_registry_up

echo '{"bridge":"tscbench0","dns":[]}' >"$work/data/daemon.json"
rm -f "$sock"
node packages/cli/bin/run.js daemon --host "$sock" --data-root "$work/data" --exec-root "$work/exec" >"$work/engine.log" 2>&1 &
echo $! >"$work/engine.pid"
wait_for curl -sf --unix-socket "$sock" http://engine/_ping
TSC_ENGINE_HOST="$sock" bin/tsc-engine pull "$image" >/dev/null
TSC_ENGINE_HOST="$sock" bin/tsc-engine network create benchnet >/dev/null

lifecycle() { node bench/api-lifecycle.mjs --runs "$runs" --warmup "$warmup" --socket "$sock" --image "$image" "$@" | tee -a "$results" >/dev/null; }
# Two rounds each, interleaved, so a change of load on the machine hits every mode alike.
for round in 1 2; do
  for mode in none bridge benchnet; do
    log "round $round: --network $mode"
    lifecycle --key "$mode-$round" --name "$mode" --network "$mode"
  done
done

load="$(cut -d' ' -f1-3 /proc/loadavg)"
node - "$results" "$load" <<'JS'
const [file, load] = process.argv.slice(2);
const rows = require('node:fs').readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const by = {};
for (const row of rows) (by[row.name] ??= []).push(row);
const stat = (name) => ({
  lifecycle: median(by[name].map((r) => r.medianMs)),
  start: median(by[name].map((r) => r.phaseMediansMs.start)),
  del: median(by[name].map((r) => r.phaseMediansMs.delete)),
  runs: by[name].reduce((n, r) => n + r.runs, 0),
});
const none = stat('none');
console.log(`load average at the end: ${load}\n`);
console.log('| network | runs | lifecycle median | start median | start over `none` | delete median |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const name of ['none', 'bridge', 'benchnet']) {
  const s = stat(name);
  const extra = name === 'none' ? '' : `${s.start - none.start >= 0 ? '+' : ''}${(s.start - none.start).toFixed(1)} ms`;
  const label = name === 'benchnet' ? 'user-defined bridge (DNS)' : `\`${name}\``;
  console.log(`| ${label} | ${s.runs} | ${s.lifecycle.toFixed(1)} ms | ${s.start.toFixed(1)} ms | ${extra} | ${s.del.toFixed(1)} ms |`);
}
JS
