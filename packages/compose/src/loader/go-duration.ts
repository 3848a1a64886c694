// SPDX-License-Identifier: Apache-2.0

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds of a compose duration (Go syntax as in `1m30s`, `500ms`, `1.5h`; a bare number is seconds), or
 * undefined when the text is not one.
 */
export function parseGoDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return text * 1000;
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  if (s === '' || !/^([0-9.]+(ns|us|µs|ms|s|m|h|d))+$/.test(s)) return undefined;
  let total = 0;
  for (const [, n, unit] of s.matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h|d)/g)) total += Number(n) * UNITS[unit];
  return Number.isFinite(total) ? total : undefined;
}

/** Go's `time.Duration.String()` of a millisecond count (`1m30s`, `500ms`, `1h0m0s`), as docker compose prints. */
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
