#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Turns the JSON lines of time-command.mjs / api-lifecycle.mjs (stdin) into the markdown table of
// docs/benchmarks.md, with the issue's targets beside the rows they apply to. A line {"key", "name",
// "skipped": "why"} becomes a "not measured" row.
import { text } from 'node:stream/consumers';

const ms = (value) => `${value.toFixed(1)} ms`;
const rows = (await text(process.stdin)).split('\n').filter(Boolean).map((line) => JSON.parse(line));
const byKey = new Map(rows.filter((row) => !row.skipped).map((row) => [row.key, row]));

/** The issue's targets and reference figures, keyed like run-latency.sh's rows; `met` needs a measured row. */
const TARGETS = {
  'tsc-cli': { text: 'median under 150 ms', met: (row) => row.medianMs < 150 },
  'tsc-api': {
    text: 'median within 50 ms of raw runc',
    met: (row) => {
      const runc = byKey.get('runc');
      if (!runc) return undefined;
      const gap = row.medianMs - runc.medianMs;
      return [gap <= 50, `${gap >= 0 ? '+' : ''}${gap.toFixed(1)} ms`];
    },
  },
  'docker-cli': { text: 'issue: docker 20.10 takes ≈ 450 ms' },
  'docker-api': { text: 'issue: docker 20.10 takes ≈ 430 ms' },
};

function targetOf(row) {
  const target = TARGETS[row.key];
  if (!target) return '';
  const met = row.skipped || !target.met ? undefined : target.met(row);
  if (met === undefined) return target.text;
  const [ok, detail] = Array.isArray(met) ? met : [met];
  return `${target.text}: **${ok ? 'met' : 'missed'}**${detail ? ` (${detail})` : ''}`;
}

console.log('| benchmark | runs | median | p90 | min | max | target |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const row of rows) {
  if (row.skipped) {
    console.log(`| ${row.name} | – | not measured: ${row.skipped} | | | | ${targetOf(row)} |`);
  } else {
    console.log(`| ${row.name} | ${row.runs} | ${ms(row.medianMs)} | ${ms(row.p90Ms)} | ${ms(row.minMs)} | ${ms(row.maxMs)} | ${targetOf(row)} |`);
  }
}

const phased = rows.filter((row) => row.phaseMediansMs);
if (phased.length > 0) console.log('\nMedian of each API call:\n');
for (const row of phased) {
  const calls = Object.entries(row.phaseMediansMs).map(([phase, value]) => `${phase} ${ms(value)}`);
  console.log(`- ${row.name}: ${calls.join(', ')}`);
}
