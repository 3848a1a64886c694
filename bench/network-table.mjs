#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Turns network-start.sh's JSON lines (stdin; api-lifecycle.mjs's, named ENGINE-MODE, one line per round) into
// the markdown table of docs/benchmarks.md: per engine and network mode the medians of all rounds' samples, and
// what each mode adds over the same engine's `none`, overall and round by round. `wait` and `delete` are there
// because the engines tear the network down at different points: dockerd before it reports the exit, tsc-engine
// when the container is deleted.
import { text } from 'node:stream/consumers';
import { summarize } from './latency-stats.mjs';

const rows = (await text(process.stdin)).split('\n').filter(Boolean).map((line) => JSON.parse(line));
const LABELS = {
  'tsc-none': 'tsc-engine `none`',
  'tsc-bridge': 'tsc-engine `bridge`',
  'tsc-benchnet': 'tsc-engine user-defined bridge (DNS)',
  'docker-none': 'docker `none`',
  'docker-bridge': 'docker `bridge`',
};

const byName = new Map();
for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
const median = (samples) => summarize(samples).medianMs;
const stat = (rounds) => ({
  runs: rounds.reduce((n, round) => n + round.runs, 0),
  lifecycle: median(rounds.flatMap((round) => round.samplesMs)),
  start: median(rounds.flatMap((round) => round.phaseSamplesMs.start)),
  wait: median(rounds.flatMap((round) => round.phaseSamplesMs.wait)),
  del: median(rounds.flatMap((round) => round.phaseSamplesMs.delete)),
  rounds,
});
const ms = (value) => `${value.toFixed(1)} ms`;
const delta = (value) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} ms`;

console.log('| engine, network | runs | lifecycle median | over `none` | `start` median | over `none` (per round) | `wait` median | `delete` median |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, label] of Object.entries(LABELS)) {
  if (!byName.has(name)) continue;
  const row = stat(byName.get(name));
  const none = stat(byName.get(`${name.split('-')[0]}-none`));
  const isNone = name.endsWith('-none');
  const perRound = row.rounds.map((round, i) => delta(round.phaseMediansMs.start - none.rounds[i].phaseMediansMs.start));
  console.log(
    `| ${label} | ${row.runs} | ${ms(row.lifecycle)} | ${isNone ? '' : delta(row.lifecycle - none.lifecycle)} | ` +
      `${ms(row.start)} | ${isNone ? '' : `${delta(row.start - none.start)} (${perRound.join(', ')})`} | ${ms(row.wait)} | ${ms(row.del)} |`,
  );
}
