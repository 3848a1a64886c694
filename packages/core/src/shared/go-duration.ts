// SPDX-License-Identifier: Apache-2.0

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds of a Go duration (`time.ParseDuration`: `1m30s`, `500ms`, `1.5h`, `0`), as docker's duration flags
 * and compose files write them; undefined when the text is not one.
 */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  if (!/^([0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h))+$/.test(s)) return undefined;
  let total = 0;
  for (const [, n, unit] of s.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * UNIT_MS[unit];
  return Number.isFinite(total) ? total : undefined;
}

/** Go's `time.Duration.String()` of a millisecond count (`1m30s`, `500ms`, `1h0m0s`). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${trim(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  if (hours > 0) return `${hours}h${minutes}m${trim(seconds)}s`;
  if (minutes > 0) return `${minutes}m${trim(seconds)}s`;
  return `${trim(seconds)}s`;
}

const trim = (n: number) => String(Number(n.toFixed(9)));
