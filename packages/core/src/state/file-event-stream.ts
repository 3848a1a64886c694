// SPDX-License-Identifier: Apache-2.0
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../errors/engine-error.js';
import {
  STREAM_END, STREAM_START, type EventStream, type ReadEventsOptions, type StreamEvent, type StreamEventInput,
  type SubscribeEventsOptions,
} from './event-stream.js';

/** One line of a stream file; the namespace is the file's and the id its end offset. */
interface StoredLine {
  timestamp: number;
  topic: string;
  payload: StreamEvent['payload'];
}

/** Re-read even without a change notification, in case inotify is unavailable or missed one. */
const POLL_MS = 1000;
const READ_CHUNK = 64 * 1024;

/**
 * The embedded {@link EventStream}: one file per namespace under `<dir>/streams`, one JSON line per event, each
 * appended with a single `write()` on an `O_APPEND` descriptor — which the kernel never interleaves with another
 * process's, so concurrent CLIs need no lock. An event's id is the file offset just after its line: increasing,
 * and exactly where a reader resumes. Subscribers wait on `fs.watch` (inotify) of the directory.
 *
 * Streams are not trimmed: compose projects append a few events per container change.
 */
export class FileEventStream implements EventStream {
  readonly location: string;
  private readonly dir: string;
  /** Live subscriptions, so `close()` can end them and let the process exit. */
  private readonly live = new Set<AbortController>();

  constructor(dir: string) {
    this.location = dir;
    this.dir = join(dir, 'streams');
  }

  async append(event: StreamEventInput, signal?: AbortSignal): Promise<StreamEvent> {
    signal?.throwIfAborted();
    const line: StoredLine = { timestamp: Date.now(), topic: event.topic, payload: event.payload };
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`);
    await mkdir(this.dir, { recursive: true });
    const file = await open(this.fileOf(event.namespace), 'a+');
    try {
      await file.write(bytes);
      // With O_APPEND the line landed at the end as it was then; the size now may include later appends, but a
      // line is found by its end, so the event's id is the end of the last line that matches ours from here back.
      const id = await findLineEnd(file, bytes, (await file.stat()).size);
      return { id: String(id), namespace: event.namespace, ...line };
    } finally {
      await file.close();
    }
  }

  async read(options: ReadEventsOptions, signal?: AbortSignal): Promise<StreamEvent[]> {
    signal?.throwIfAborted();
    const from = await this.position(options.namespace, options.after ?? STREAM_START);
    return (await this.readFrom(options.namespace, from, options.limit ?? Infinity)).events;
  }

  async subscribe(options: SubscribeEventsOptions, signal?: AbortSignal): Promise<AsyncIterable<StreamEvent>> {
    signal?.throwIfAborted();
    let position = await this.position(options.namespace, options.after ?? STREAM_END);
    await mkdir(this.dir, { recursive: true });
    const stop = new AbortController();
    const stopped = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    const wakeUp = new Wakeup();
    const watcher: FSWatcher = watch(this.dir, (_event, file) => {
      if (file === null || file === this.fileName(options.namespace)) wakeUp.notify();
    });
    watcher.on('error', () => wakeUp.notify());
    stopped.addEventListener('abort', () => wakeUp.notify(), { once: true });
    this.live.add(stop);
    const self = this;
    async function* events(): AsyncGenerator<StreamEvent> {
      try {
        while (!stopped.aborted) {
          const { events: batch, next } = await self.readFrom(options.namespace, position, Infinity);
          position = next;
          for (const event of batch) {
            if (stopped.aborted) return;
            yield event;
          }
          if (batch.length === 0) await wakeUp.wait(POLL_MS);
        }
      } finally {
        watcher.close();
        self.live.delete(stop);
      }
    }
    return events();
  }

  /** Ends every live subscription. */
  close(): void {
    for (const stop of this.live) stop.abort();
  }

  private fileName(namespace: string): string {
    if (namespace === '') throw new InvalidArgumentError('event stream: namespace must not be empty');
    return `${encodeURIComponent(namespace).replace(/\./g, '%2E')}.jsonl`;
  }

  private fileOf(namespace: string): string {
    return join(this.dir, this.fileName(namespace));
  }

  private async size(namespace: string): Promise<number> {
    return stat(this.fileOf(namespace)).then((s) => s.size, (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return 0;
      throw error;
    });
  }

  private async position(namespace: string, after: string): Promise<number> {
    if (after === STREAM_END) return this.size(namespace);
    if (after === STREAM_START) return 0;
    if (!/^\d+$/.test(after)) {
      throw new InvalidArgumentError(`event stream "${namespace}": "${after}" is not an event id of this store`);
    }
    return Number(after);
  }

  /** The complete lines from `from` on; a line still being written (no newline yet) is left for next time. */
  private async readFrom(namespace: string, from: number, limit: number): Promise<{ events: StreamEvent[]; next: number }> {
    const events: StreamEvent[] = [];
    let file;
    try {
      file = await open(this.fileOf(namespace), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events, next: from };
      throw error;
    }
    try {
      let offset = from;
      let pending = Buffer.alloc(0);
      let pendingStart = from;
      while (events.length < limit) {
        const chunk = Buffer.alloc(READ_CHUNK);
        const { bytesRead } = await file.read(chunk, 0, READ_CHUNK, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        pending = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
        let newline;
        while (events.length < limit && (newline = pending.indexOf(10)) !== -1) {
          const end = pendingStart + newline + 1;
          const event = parseLine(namespace, pending.subarray(0, newline), end);
          if (event) events.push(event);
          pending = pending.subarray(newline + 1);
          pendingStart = end;
        }
      }
      return { events, next: pendingStart };
    } finally {
      await file.close();
    }
  }
}

function parseLine(namespace: string, bytes: Buffer, end: number): StreamEvent | undefined {
  try {
    const line = JSON.parse(bytes.toString('utf8')) as StoredLine;
    return { id: String(end), namespace, timestamp: line.timestamp, topic: line.topic, payload: line.payload };
  } catch {
    // Only a writer killed inside write() leaves a broken line; skipping it keeps the stream readable.
    return undefined;
  }
}

/** The end offset of the last occurrence of `line` in the file before `size`. */
async function findLineEnd(file: import('node:fs/promises').FileHandle, line: Buffer, size: number): Promise<number> {
  for (let end = size; end >= line.length; ) {
    const window = Math.min(end, Math.max(READ_CHUNK, line.length * 2));
    const buffer = Buffer.alloc(window);
    await file.read(buffer, 0, window, end - window);
    const at = buffer.lastIndexOf(line);
    if (at !== -1) return end - window + at + line.length;
    end -= window - line.length;
  }
  return size;
}

/** A one-slot signal between the watcher callback and the waiting reader. */
class Wakeup {
  private pending = false;
  private resolve?: () => void;

  notify(): void {
    this.pending = true;
    this.resolve?.();
  }

  async wait(timeoutMs: number): Promise<void> {
    if (!this.pending) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.resolve = () => { clearTimeout(timer); resolve(); };
      });
    }
    this.pending = false;
    this.resolve = undefined;
  }
}
