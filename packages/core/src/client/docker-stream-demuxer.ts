// SPDX-License-Identifier: Apache-2.0
import { EngineError } from '../errors/engine-error.js';
import type { LogChunk } from './engine-client.js';

const HEADER_SIZE = 8;

/**
 * Splits Docker's multiplexed stdio stream (logs/attach/exec without a TTY) into chunks: each frame is an 8-byte
 * header `[stream, 0, 0, 0, size uint32 BE]` and its payload. Frames may straddle network reads, so bytes are
 * buffered until a frame is whole. Stream 0 (stdin echo) goes to stdout as moby's stdcopy does; stream 3 carries a
 * daemon-side error and ends the stream with it.
 */
export async function* demuxDockerStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<LogChunk> {
  let pending = Buffer.alloc(0);
  for await (const piece of source) {
    pending = pending.length === 0 ? Buffer.from(piece) : Buffer.concat([pending, piece]);
    let offset = 0;
    while (pending.length - offset >= HEADER_SIZE) {
      const kind = pending[offset];
      const size = pending.readUInt32BE(offset + 4);
      if (pending.length - offset < HEADER_SIZE + size) break;
      const data = pending.subarray(offset + HEADER_SIZE, offset + HEADER_SIZE + size);
      offset += HEADER_SIZE + size;
      if (kind === 3) throw new EngineError('internal', data.toString('utf8').trim());
      if (kind > 3) throw new EngineError('internal', `log stream: unknown stream type ${kind} in frame header`);
      if (size > 0) yield { stream: kind === 2 ? 'stderr' : 'stdout', data: Buffer.from(data) };
    }
    pending = pending.subarray(offset);
  }
  if (pending.length > 0) throw new EngineError('internal', `log stream: truncated frame (${pending.length} bytes left)`);
}

/** Encodes one frame; the inverse of {@link demuxDockerStream}, for servers and tests. */
export function encodeDockerFrame(stream: 'stdin' | 'stdout' | 'stderr' | 'system', data: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header[0] = ['stdin', 'stdout', 'stderr', 'system'].indexOf(stream);
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}
