// SPDX-License-Identifier: Apache-2.0

const WIDTH = 50;
const PROGRESS_INTERVAL_MS = 100;

/**
 * The `progress` text of a JSON progress message, as Docker renders it (`[=====>     ]  1.2MB/3.4MB`), for
 * clients that print it instead of drawing their own bar from `progressDetail`.
 */
export function formatProgressBar(current: number, total: number): string {
  if (total <= 0) return humanSize(current);
  const bars = Math.min(WIDTH, Math.floor((current / total) * WIDTH));
  const box = `[${'='.repeat(bars)}>${' '.repeat(WIDTH - bars)}]`;
  return `${box} ${`${humanSize(current)}`.padStart(8)}/${humanSize(total)}`;
}

/** Decimal units with 3 significant digits, as go-units' HumanSize: `2.15MB`, `512B`. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(3))}${units[unit]}`;
}

/**
 * Wraps a byte-count reporter so it is called at most every 100 ms, and always for the last byte: transfers see
 * thousands of chunks, and a client redraws its bar for every message.
 */
export function throttledProgress(total: number, report: (current: number) => void): (current: number) => void {
  let last = 0;
  return (current) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS && current !== total) return;
    last = now;
    report(current);
  };
}

/** The 12-hex id Docker shows for a layer in progress output. */
export function shortLayerId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
