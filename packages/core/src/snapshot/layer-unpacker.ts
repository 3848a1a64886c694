// SPDX-License-Identifier: Apache-2.0
import { Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { availableParallelism } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { EngineError, InternalError, isErrorCode } from '../errors/engine-error.js';
import type { LayerCompression } from '../registry/media-types.js';
import type { FromUnpackWorker, LayerUnpackJob, SerializedError, ToUnpackWorker, Unaddressed } from './layer-unpack-worker.js';
import { UnpackWorkerPool } from './unpack-worker-pool.js';

export interface LayerUnpackOptions {
  /** Unpacked lower layers, TOP first, searched for hardlink targets this layer does not hold. */
  lowerDirs?: string[];
  /** Resolves once every lower layer is fully unpacked. */
  parentsReady?: Promise<void>;
  /** How the stream given to {@link LayerUnpacker.unpack} is compressed; `none` by default. */
  compression?: LayerCompression;
  signal?: AbortSignal;
}

export interface UnpackedLayer {
  /** `sha256:<hex>` of the uncompressed tar. */
  diffId: string;
  /** Bytes of the uncompressed tar. */
  size: number;
  /** Bytes of the unpacked files, counted as `directorySize` counts them. */
  unpackedSize: number;
}

/**
 * A thread per core at most: the jobs of a pull share them. Each thread compiles the same code, which in a 4-layer
 * pull on 2 cores was a fifth of all CPU time with a thread per layer; the layers' inflating happens in libuv's
 * pool either way. Threads are ended after 30 s unused.
 */
const unpackWorkers = new UnpackWorkerPool(new URL('./layer-unpack-worker.js', import.meta.url), availableParallelism(), 30_000);
/** Names a job in the messages of the thread it shares with others. */
let lastJobId = 0;
/** Bytes per message to the worker: large enough that posting costs nothing next to the unpacking. */
const BATCH = 512 * 1024;
/** Batches posted and not yet parsed, beyond which the source is paused. */
const MAX_IN_FLIGHT = 4;

/**
 * Unpacks one OCI layer tar, compressed or not, into an empty directory it owns, converting OCI whiteouts to
 * overlayfs form, and computes the diff id and the unpacked size on the way. Single use: one instance per layer.
 *
 * The work runs on a worker thread (`layer-unpack-worker.ts`, rules in `LayerEntryWriter`): this
 * thread only forwards the blob's bytes in batches. Synchronous fs calls on that thread make small files several
 * times cheaper than the ~4 libuv pool round trips each cost through `fs/promises`. Hashing and tar parsing happen
 * there too, and the decompressing is driven from there (zlib itself inflates in libuv's pool, which the daemon
 * sizes for it: see the CLI's bin/run.js), so the main thread, which also serves the API and the downloads,
 * handles only the compressed bytes (a third to a quarter of the tar's) and none of the garbage of hundreds of MB
 * of inflated chunks: its CPU time in a 4-layer 140 MB pull halved. (With zlib's output in 64 KiB chunks,
 * inflating from that thread cost about 10% more CPU in all than from the main thread, which batched the chunks;
 * in the 256 KiB chunks `layerDecompressor` makes, it costs about 20% less.) Layers of an image unpack in
 * parallel, on as many threads as there are cores, several to a thread beyond that. When this resolves or rejects,
 * nothing writes into the directory any more (a job stopped from here is confirmed by the thread), so the caller
 * may remove it. The threads come from a pool that keeps them loaded between layers ({@link UnpackWorkerPool}).
 */
export class LayerUnpacker {
  constructor(
    private readonly dir: string,
    private readonly options: LayerUnpackOptions = {},
  ) {}

  async unpack(blob: Readable): Promise<UnpackedLayer> {
    const job: LayerUnpackJob = { dir: this.dir, lowerDirs: this.options.lowerDirs ?? [], compression: this.options.compression ?? 'none' };
    const id = ++lastJobId;
    const worker = unpackWorkers.acquire();
    const post = (message: Unaddressed<ToUnpackWorker>, transfer?: ArrayBuffer[]) => worker.postMessage({ ...message, id }, transfer);
    const sink = new BatchSink(post);
    let onMessage: (message: FromUnpackWorker) => void = () => {};
    let onError: (error: Error) => void = () => {};
    let onExit: (code: number) => void = () => {};
    // Settles once the thread is done with the job: only then is nothing written into the directory any more.
    const unpacked = new Promise<UnpackedLayer>((resolve, reject) => {
      onMessage = (message) => {
        if (message.id !== id) return;
        switch (message.type) {
          case 'ack':
            return sink.acknowledge();
          case 'await-parents':
            return void Promise.resolve(this.options.parentsReady).then(() => post({ type: 'parents-ready' }), reject);
          case 'done':
            return resolve({ diffId: message.diffId, size: message.size, unpackedSize: message.unpackedSize });
          case 'failed':
            return reject(deserializeError(message.error));
        }
      };
      onError = (error) => reject(new InternalError(`unpack layer into ${this.dir}: ${error.message}`, { cause: error }));
      onExit = (code) => reject(new InternalError(`unpack layer into ${this.dir}: the unpacking thread exited with code ${code}`));
    });
    worker.on('message', onMessage).once('error', onError).once('exit', onExit);
    post({ type: 'job', job });
    let jobEnded = false;
    let sourceFailure: { error: unknown } | undefined;
    const feeding = pipeline(blob, sink, { signal: this.options.signal }).catch((error: unknown) => {
      // The source failed first: the thread stops the job and confirms it with `failed`, whose error is moot then.
      if (jobEnded) return;
      sourceFailure = { error };
      post({ type: 'abort' });
    });
    try {
      const result = await unpacked.finally(() => (jobEnded = true));
      await feeding;
      return result;
    } catch (error) {
      // A job that failed acknowledges nothing more: stop feeding it, which also lets go of the source.
      sink.destroy();
      throw sourceFailure ? sourceFailure.error : error;
    } finally {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      unpackWorkers.release(worker);
    }
  }

  /** Loads threads for `layers` unpacks about to start, so that none waits for one (see {@link UnpackWorkerPool}). */
  static warm(layers: number): void {
    unpackWorkers.warm(layers);
  }
}

/** Collects the blob's chunks into batches and posts them to the worker, pausing while it is behind. */
class BatchSink extends Writable {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private inFlight = 0;
  private resume: (() => void) | undefined;

  constructor(private readonly post: (message: Unaddressed<ToUnpackWorker>, transfer?: ArrayBuffer[]) => void) {
    super({ highWaterMark: BATCH });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes < BATCH) return callback();
    this.flush();
    if (this.inFlight < MAX_IN_FLIGHT) callback();
    else this.resume = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush();
    this.post({ type: 'end' });
    callback();
  }

  acknowledge(): void {
    this.inFlight--;
    const resume = this.resume;
    this.resume = undefined;
    resume?.();
  }

  /**
   * Posts what was collected as one new ArrayBuffer, transferred rather than cloned. The copy cannot be avoided:
   * the chunks may be views into buffers something else still uses (a pull also writes them to the content store).
   */
  private flush(): void {
    if (this.bytes === 0) return;
    const batch = new Uint8Array(this.bytes);
    let offset = 0;
    for (const chunk of this.chunks) {
      batch.set(chunk, offset);
      offset += chunk.length;
    }
    this.chunks = [];
    this.bytes = 0;
    this.inFlight++;
    this.post({ type: 'data', bytes: batch.buffer }, [batch.buffer]);
  }
}

/** The worker's error as thrown on this side: engine errors keep their code and hint, fs errors their errno code. */
function deserializeError(serialized: SerializedError): Error {
  const { name, message, stack, code, hint, syscall, path } = serialized;
  const error = code !== undefined && isErrorCode(code) ? new EngineError(code, message, { hint }) : new Error(message);
  error.name = name;
  if (stack !== undefined) error.stack = stack;
  if (!(error instanceof EngineError)) {
    for (const [key, value] of Object.entries({ code, syscall, path })) if (value !== undefined) Object.assign(error, { [key]: value });
  }
  return error;
}
