// SPDX-License-Identifier: Apache-2.0
// The thread that unpacks layers for LayerUnpacker, several at a time (UnpackWorkerPool keeps it loaded between
// them): each job's bytes arrive in batches from the main thread and are decompressed, hashed (the diff id) and
// parsed here, and LayerEntryWriter applies the entries with synchronous fs calls.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parentPort } from 'node:worker_threads';
import { TarParser } from '../archive/tar-parser.js';
import { layerDecompressor } from '../image/layer-decompressor.js';
import type { LayerCompression } from '../registry/media-types.js';
import { DiffIdTap } from './diff-id-tap.js';
import { LayerEntryWriter } from './layer-entry-writer.js';

export interface LayerUnpackJob {
  dir: string;
  lowerDirs: string[];
  /** How the bytes posted to the thread are compressed. */
  compression: LayerCompression;
}

/**
 * Main thread → worker, each about the job `id` names. `job` starts one; `data` transfers its buffer;
 * `parents-ready` answers `await-parents`; `abort` stops it, which the worker confirms with `failed`.
 */
export type ToUnpackWorker =
  | { type: 'job'; id: number; job: LayerUnpackJob }
  | { type: 'data'; id: number; bytes: ArrayBuffer }
  | { type: 'end'; id: number }
  | { type: 'parents-ready'; id: number }
  | { type: 'abort'; id: number };

/**
 * Worker → main thread. Each `data` batch is acknowledged once parsed, which is the main thread's flow control.
 * `done` and `failed` end a job: after either, nothing of it writes into its directory any more.
 */
export type FromUnpackWorker =
  | { type: 'ack'; id: number }
  | { type: 'await-parents'; id: number }
  | { type: 'done'; id: number; diffId: string; size: number; unpackedSize: number }
  | { type: 'failed'; id: number; error: SerializedError };

/** A message as one job's code writes it, before its job's id is added. */
export type Unaddressed<M> = M extends unknown ? Omit<M, 'id'> : never;

/** An error as it crosses the thread boundary, which keeps neither its class nor its own properties. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** An engine error code (`invalid-argument`) or an errno code (`ENOSPC`). */
  code?: string;
  hint?: string;
  syscall?: string;
  path?: string;
}

type JobMessage = Exclude<ToUnpackWorker, { type: 'job' }>;

// Guarded so that importing this module for its types elsewhere does nothing.
if (parentPort !== null) {
  const port = parentPort;
  const jobs = new Map<number, (message: JobMessage) => void>();
  port.on('message', (message: ToUnpackWorker) => {
    if (message.type === 'job') jobs.set(message.id, unpackLayer(port, message.id, message.job, () => jobs.delete(message.id)));
    else jobs.get(message.id)?.(message);
  });
}

/**
 * Starts one job; returns the handler of its messages. `settled` runs before the job's last message is posted.
 * Jobs of one thread interleave wherever one waits (for bytes, for inflating, for its parents).
 */
function unpackLayer(port: NonNullable<typeof parentPort>, id: number, job: LayerUnpackJob, settled: () => void): (message: JobMessage) => void {
  const post = (message: Unaddressed<FromUnpackWorker>) => port.postMessage({ ...message, id });
  // Batches are acknowledged once the pipeline wants more, so the main thread never runs far ahead.
  let owed = 0;
  const incoming = new Readable({
    read() {
      for (; owed > 0; owed--) post({ type: 'ack' });
    },
  });
  let releaseParents: (() => void) | undefined;
  let parentsReady: Promise<void> | undefined;
  const writer = new LayerEntryWriter(job.dir, {
    lowerDirs: job.lowerDirs,
    parentsReady: () =>
      (parentsReady ??= new Promise<void>((resolve) => {
        releaseParents = resolve;
        post({ type: 'await-parents' });
      })),
  });

  const tap = new DiffIdTap();
  const parser = new TarParser((header) => writer.apply(header));
  // The entry being applied when the job fails finishes first, so that nothing writes after `failed`.
  let parsing: Promise<void> = Promise.resolve();
  const entries = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      parsing = parser.write(chunk);
      parsing.then(() => callback(), callback);
    },
    final(callback) {
      try {
        parser.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  pipeline(incoming, layerDecompressor(job.compression, `the layer unpacked into ${job.dir}`), tap, entries)
    .then(async () => {
      await writer.finish();
      settled();
      post({ type: 'done', ...tap.result(), unpackedSize: writer.unpackedSize });
    })
    .catch(async (error: unknown) => {
      await parsing.catch(() => undefined);
      parser.abandon();
      settled();
      post({ type: 'failed', error: serializeError(error) });
    });

  return (message) => {
    switch (message.type) {
      case 'data':
        if (incoming.push(Buffer.from(message.bytes))) post({ type: 'ack' });
        else owed++;
        return;
      case 'end':
        return void incoming.push(null);
      case 'parents-ready':
        return releaseParents?.();
      case 'abort':
        // The entry being applied ends with its data (an entry waiting for its parents goes on to find them or
        // fail), and the loop above then reports `failed`.
        incoming.destroy(new Error(`unpacking into ${job.dir} was stopped`));
        return releaseParents?.();
    }
  };
}

function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, hint, syscall, path } = error as Error & Partial<Record<'code' | 'hint' | 'syscall' | 'path', string>>;
  return { name: error.name, message: error.message, stack: error.stack, code, hint, syscall, path };
}
