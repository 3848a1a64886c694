// SPDX-License-Identifier: Apache-2.0
import type { LogEntry } from '../supervisor/supervisor.js';
import type { RouteContext } from './route.js';

const STREAM_IDS = { stdout: 1, stderr: 2 } as const;

/**
 * Writes log entries as Docker does: raw bytes for a TTY container, otherwise frames of an 8-byte header
 * `[stream, 0, 0, 0, size uint32 BE]` and the payload, so a client can tell stdout from stderr.
 */
export async function writeLogStream(
  { res, apiVersion }: RouteContext,
  entries: AsyncIterable<LogEntry>,
  options: { tty: boolean; timestamps: boolean },
): Promise<void> {
  const multiplexed = !options.tty && Number(apiVersion) >= 1.42;
  res.writeHead(200, {
    'Content-Type': multiplexed ? 'application/vnd.docker.multiplexed-stream' : 'application/vnd.docker.raw-stream',
  });
  res.flushHeaders();
  for await (const entry of entries) {
    const payload = options.timestamps ? Buffer.concat([Buffer.from(`${toRfc3339Nano(entry.time)} `), entry.data]) : entry.data;
    if (options.tty) {
      if (!res.write(payload)) await new Promise((resolve) => res.once('drain', resolve));
      continue;
    }
    const header = Buffer.alloc(8);
    header[0] = STREAM_IDS[entry.stream];
    header.writeUInt32BE(payload.length, 4);
    if (!res.write(Buffer.concat([header, payload]))) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/**
 * Docker's log timestamps are RFC 3339 in UTC with a fixed nine-digit fraction (moby's RFC3339NanoFixed). conmon
 * writes the local offset (`+00:00`); the fraction is kept as text because a Date holds only milliseconds.
 */
export function toRfc3339Nano(time: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) return time;
  const utcSeconds = new Date(`${m[1]}${m[3]}`).toISOString().slice(0, 19);
  return `${utcSeconds}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}Z`;
}
