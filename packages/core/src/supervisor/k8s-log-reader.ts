// SPDX-License-Identifier: Apache-2.0
import { watch, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { K8sLogDecoder } from './k8s-log-decoder.js';
import type { LogEntry, LogReadOptions } from './supervisor.js';

/** How often a follower looks at the file when no change notification came (they can be missed or coalesced). */
const FOLLOW_POLL_MS = 250;
const READ_CHUNK = 256 * 1024;

/**
 * Reads a conmon `k8s-file` log. With `follow`, keeps reading as the file grows until `isDone()` says the writer
 * has finished and everything it wrote has been read, or `signal` aborts. `finished`, when the writer's end can
 * be awaited, has the follower ask `isDone()` as soon as it settles rather than at its next poll.
 */
export async function* readK8sLog(
  path: string,
  options: LogReadOptions,
  isDone: () => Promise<boolean>,
  signal?: AbortSignal,
  finished?: Promise<unknown>,
): AsyncGenerator<LogEntry> {
  const wanted = entryFilter(options);
  const decoder = new K8sLogDecoder();
  const file = options.follow ? await openWhenPresent(path, isDone, signal) : await openIfPresent(path);
  if (!file) return;
  try {
    let offset = 0;
    const readMore = async (): Promise<LogEntry[]> => {
      const entries: LogEntry[] = [];
      const buffer = Buffer.alloc(READ_CHUNK);
      for (;;) {
        const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) return entries;
        offset += bytesRead;
        entries.push(...decoder.push(buffer.subarray(0, bytesRead)));
      }
    };

    let backlog = (await readMore()).filter(wanted);
    if (!options.follow) backlog.push(...decoder.flush().filter(wanted));
    if (options.tail !== undefined) backlog = options.tail > 0 ? backlog.slice(-options.tail) : [];
    yield* backlog;
    if (!options.follow) return;

    const changes = new ChangeSignal(path);
    void finished?.then(() => changes.notify());
    try {
      while (!signal?.aborted && !pastUntil(options)) {
        // Ask before reading: what the writer wrote before it finished is then certain to be read below.
        const done = await isDone();
        yield* (await readMore()).filter(wanted);
        if (done) {
          yield* decoder.flush().filter(wanted);
          return;
        }
        await changes.next(FOLLOW_POLL_MS, signal);
      }
    } finally {
      changes.close();
    }
  } finally {
    await file.close();
  }
}

function entryFilter(options: LogReadOptions): (entry: LogEntry) => boolean {
  const stdout = options.stdout ?? true;
  const stderr = options.stderr ?? true;
  const since = options.since?.getTime();
  const until = options.until?.getTime();
  return (entry) => {
    if (entry.stream === 'stdout' ? !stdout : !stderr) return false;
    if (since === undefined && until === undefined) return true;
    const time = Date.parse(entry.time);
    return (since === undefined || time >= since) && (until === undefined || time <= until);
  };
}

function pastUntil(options: LogReadOptions): boolean {
  return options.until !== undefined && Date.now() > options.until.getTime();
}

async function openIfPresent(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A follower may come before the monitor created the file. */
async function openWhenPresent(path: string, isDone: () => Promise<boolean>, signal?: AbortSignal): Promise<FileHandle | undefined> {
  const changes = new ChangeSignal(dirname(path));
  try {
    while (!signal?.aborted) {
      const done = await isDone();
      const file = await openIfPresent(path);
      if (file || done) return file;
      await changes.next(FOLLOW_POLL_MS, signal);
    }
    return undefined;
  } finally {
    changes.close();
  }
}

/** Resolves `next()` on the next change to a path, after a timeout, or on abort, whichever comes first. */
class ChangeSignal {
  private watcher?: FSWatcher;
  private wake?: () => void;
  private changed = false;

  constructor(path: string) {
    try {
      this.watcher = watch(path, { persistent: false }, () => this.notify());
      this.watcher.on('error', () => this.close());
    } catch {
      // Without notifications the timeout alone paces the follower.
    }
  }

  notify(): void {
    this.changed = true;
    this.wake?.();
  }

  next(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.changed || signal?.aborted) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.wake = undefined;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      signal?.addEventListener('abort', finish, { once: true });
      this.wake = finish;
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
