// SPDX-License-Identifier: Apache-2.0
// The thread that unpacks layers for LayerUnpacker, one job at a time (UnpackWorkerPool keeps it loaded between
// them): the blob's bytes arrive in batches from the main thread and are decompressed, hashed (the diff id) and
// parsed here, and LayerEntryWriter applies the entries with synchronous fs calls.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parentPort } from 'node:worker_threads';
import { extract as tarExtract } from 'tar-stream';
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
 * Main thread → worker. `job` starts one, after the previous one's `done`; `data` transfers its buffer;
 * `parents-ready` answers `await-parents`.
 */
export type ToUnpackWorker =
  | { type: 'job'; job: LayerUnpackJob }
  | { type: 'data'; bytes: ArrayBuffer }
  | { type: 'end' }
  | { type: 'parents-ready' };

/**
 * Worker → main thread. Each `data` batch is acknowledged once parsed, which is the main thread's flow control.
 * After `done` the thread is ready for another job; after `failed` it is not to be reused.
 */
export type FromUnpackWorker =
  | { type: 'ack' }
  | { type: 'await-parents' }
  | { type: 'done'; diffId: string; size: number; unpackedSize: number }
  | { type: 'failed'; error: SerializedError };

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
  let current: ((message: JobMessage) => void) | undefined;
  port.on('message', (message: ToUnpackWorker) => {
    if (message.type === 'job') current = unpackLayer(port, message.job, () => (current = undefined));
    else current?.(message);
  });
}

/** Starts one job; returns the handler of its messages. `settled` runs before the job's last message is posted. */
function unpackLayer(port: NonNullable<typeof parentPort>, job: LayerUnpackJob, settled: () => void): (message: JobMessage) => void {
  const post = (message: FromUnpackWorker) => port.postMessage(message);
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
  const extract = tarExtract();
  const piped = pipeline(incoming, layerDecompressor(job.compression, `the layer unpacked into ${job.dir}`), tap, extract);
  // Handled now, awaited later: when the source fails while an entry is being applied, the pipeline rejects
  // before the loop below reaches `await piped`, which would otherwise be an unhandled rejection.
  piped.catch(() => undefined);
  (async () => {
    for await (const entry of extract) {
      await writer.apply(entry);
      entry.resume();
    }
    await piped;
    await writer.finish();
    settled();
    post({ type: 'done', ...tap.result(), unpackedSize: writer.unpackedSize });
  })().catch((error: unknown) => {
    extract.destroy();
    settled();
    post({ type: 'failed', error: serializeError(error) });
  });

  return (message) => {
    if (message.type === 'data') {
      if (incoming.push(Buffer.from(message.bytes))) post({ type: 'ack' });
      else owed++;
    } else if (message.type === 'end') {
      incoming.push(null);
    } else {
      releaseParents?.();
    }
  };
}

function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, hint, syscall, path } = error as Error & Partial<Record<'code' | 'hint' | 'syscall' | 'path', string>>;
  return { name: error.name, message: error.message, stack: error.stack, code, hint, syscall, path };
}
