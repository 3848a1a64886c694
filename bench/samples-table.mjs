// SPDX-License-Identifier: Apache-2.0
// Rows of a markdown table from a samples file of `key milliseconds` lines (what compose.sh and pull.sh record), each
// cell summarized as latency-stats.mjs defines it.
//
//   node bench/samples-table.mjs compose FILE   rows of tsc-engine against docker-compose
//   node bench/samples-table.mjs pull FILE      a row per tool against the floor
import { readFileSync } from 'node:fs';
import { summarize } from './latency-stats.mjs';

const [kind, file] = process.argv.slice(2);
const samples = new Map();
for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
  const [key, ms] = line.split(' ');
  samples.set(key, [...(samples.get(key) ?? []), Number(ms)]);
}
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

if (kind === 'compose') {
  const cell = ({ medianMs, minMs, maxMs }) => `${seconds(medianMs)} (${(minMs / 1000).toFixed(2)}–${(maxMs / 1000).toFixed(2)})`;
  const rows = { up: '`up -d`, 10 services', down: '`down`, 10 services', app: 'hit-counter: `up -d` to first answer', 'app-down': 'hit-counter: `down -v`' };
  for (const [what, label] of Object.entries(rows)) {
    const tsc = samples.get(`tsc-${what}`);
    const docker = samples.get(`docker-${what}`);
    if (!tsc || !docker) continue;
    const [ours, theirs] = [summarize(tsc), summarize(docker)];
    const ratio = ours.medianMs / theirs.medianMs;
    console.log(`| ${label} | ${cell(ours)} | ${cell(theirs)} | ${ratio.toFixed(2)} | ${ratio <= 1 / 3 ? 'met' : '**missed**'} |`);
  }
} else if (kind === 'pull') {
  const names = {
    tsc: 'tsc-engine pull', docker: 'docker pull', podman: 'podman pull', skopeo: 'skopeo copy to dir: (no unpack)',
    floor: 'floor: curl \\| tee >(sha256sum) \\| tar -xz, layers in parallel',
  };
  const floor = samples.has('floor') ? summarize(samples.get('floor')).medianMs : undefined;
  for (const [key, xs] of samples) {
    const { medianMs, minMs, maxMs } = summarize(xs);
    const versus = key === 'floor' || floor === undefined ? '' : `${medianMs >= floor ? '+' : ''}${((medianMs / floor - 1) * 100).toFixed(0)}%`;
    console.log(`| ${names[key] ?? key} | ${seconds(medianMs)} | ${seconds(minMs)} | ${seconds(maxMs)} | ${versus} |`);
  }
} else {
  console.error('usage: samples-table.mjs compose|pull FILE');
  process.exit(2);
}
