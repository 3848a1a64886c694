// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';

/**
 * Blobs by digest (containerd's content store). A blob is written to a temporary file, verified against its
 * digest, then renamed into place, so nothing half-written is ever visible under a digest; leftovers of a crash
 * are removed by {@link cleanup}.
 */
export interface ContentStore {
  has(digest: string): Promise<boolean>;
  /** Size in bytes, or undefined when absent. */
  size(digest: string): Promise<number | undefined>;
  read(digest: string): Promise<Buffer>;
  createReadStream(digest: string): Readable;
  /**
   * Stores a stream under `digest`, verifying digest (and size, when given) as it arrives. Rejects, leaving
   * nothing behind, when they do not match. A blob already present is not written again. `verified` says the
   * stream itself fails at its end unless its bytes are `digest` (a registry download checks itself as it arrives):
   * the store then takes them as they are instead of hashing them a second time.
   */
  write(digest: string, content: Readable, size?: number, options?: { verified?: boolean }): Promise<void>;
  /** Stores bytes under their own sha256 digest and returns it. */
  put(bytes: Buffer): Promise<string>;
  delete(digest: string): Promise<void>;
  list(): Promise<string[]>;
  /** Removes temporary files left by interrupted writes. */
  cleanup(): Promise<void>;
}

/** DI token for {@link ContentStore}. */
export const ContentStore = Symbol.for('tsc-engine:ContentStore');
