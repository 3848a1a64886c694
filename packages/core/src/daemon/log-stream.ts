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
    const payload = options.timestamps ? Buffer.concat([Buffer.from(`${entry.time} `), entry.data]) : entry.data;
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
