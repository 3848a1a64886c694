// SPDX-License-Identifier: Apache-2.0
// The one definition of the numbers every latency benchmark reports, so rows of the table compare.

/** Median (mean of the middle two for an even count) and nearest-rank p90 of samples in milliseconds. */
export function summarize(samplesMs) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) throw new Error('no samples');
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return {
    runs: n,
    medianMs: median,
    p90Ms: sorted[Math.ceil(0.9 * n) - 1],
    minMs: sorted[0],
    maxMs: sorted[n - 1],
  };
}

/**
 * Runs `once(i)` `warmup` times unmeasured (caches, JIT, first pulls), then `runs` times measured one after the
 * other, and returns the wall-clock milliseconds of each measured run.
 */
export async function sample(once, { runs, warmup }) {
  for (let i = 0; i < warmup; i++) await once(`w${i}`);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await once(String(i));
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
}

/** `--runs`/`--warmup` (and any extra options) from argv; the words after `--` are returned as `command`. */
export function parseBenchArgs(argv, extra = {}) {
  const options = { runs: 30, warmup: 3, name: 'benchmark', key: '' };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return { ...options, command: argv.slice(i + 1), rest };
    const key = arg.replace(/^--/, '');
    if (!arg.startsWith('--') || !(key in options || key in extra)) {
      rest.push(arg);
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${arg} needs a value`);
    options[key] = key === 'runs' || key === 'warmup' ? Number(value) : value;
  }
  return { ...options, command: [], rest };
}
