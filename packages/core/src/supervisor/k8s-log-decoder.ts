// SPDX-License-Identifier: Apache-2.0
import type { LogEntry } from './supervisor.js';

const NEWLINE = 0x0a;
const SPACE = 0x20;

/**
 * Decodes conmon's `k8s-file` log format: one record per line, `<RFC3339Nano> <stdout|stderr> <F|P> <bytes>`.
 * `P` marks part of a line the container had not finished when conmon flushed; it is joined with the stream's
 * following records up to the next `F`, so an entry is always one line of output as the container wrote it.
 * Bytes are fed as they come from the file, cut anywhere.
 */
export class K8sLogDecoder {
  private rest: Buffer = Buffer.alloc(0);
  private readonly partial = new Map<LogEntry['stream'], { time: string; parts: Buffer[] }>();

  /** Entries completed by this chunk, in file order. */
  push(chunk: Buffer): LogEntry[] {
    const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const entries: LogEntry[] = [];
    let start = 0;
    for (let end = data.indexOf(NEWLINE, start); end !== -1; end = data.indexOf(NEWLINE, start)) {
      const entry = this.record(data.subarray(start, end));
      if (entry) entries.push(entry);
      start = end + 1;
    }
    this.rest = Buffer.from(data.subarray(start));
    return entries;
  }

  /** Lines left unfinished when the output ended (the container exited mid-line), as they are. */
  flush(): LogEntry[] {
    const entries = [...this.partial].map(([stream, { time, parts }]) => ({ stream, time, data: Buffer.concat(parts) }));
    this.partial.clear();
    return entries.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }

  private record(line: Buffer): LogEntry | undefined {
    const timeEnd = line.indexOf(SPACE);
    const streamEnd = line.indexOf(SPACE, timeEnd + 1);
    const tagEnd = line.indexOf(SPACE, streamEnd + 1);
    // A record may end right after its tag; a line without even a stream is not a record.
    if (timeEnd < 0 || streamEnd < 0) return undefined;
    const stream = line.toString('latin1', timeEnd + 1, streamEnd);
    if (stream !== 'stdout' && stream !== 'stderr') return undefined;
    const time = line.toString('latin1', 0, timeEnd);
    const tag = line.toString('latin1', streamEnd + 1, tagEnd < 0 ? line.length : tagEnd);
    const content = tagEnd < 0 ? Buffer.alloc(0) : Buffer.from(line.subarray(tagEnd + 1));
    const pending = this.partial.get(stream);
    if (tag === 'P') {
      if (pending) pending.parts.push(content);
      else this.partial.set(stream, { time, parts: [content] });
      return undefined;
    }
    this.partial.delete(stream);
    const data = Buffer.concat([...(pending?.parts ?? []), content, Buffer.from('\n')]);
    return { stream, time: pending?.time ?? time, data };
  }
}
