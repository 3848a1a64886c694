// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { casConflict, checkLockTtl, lockHeldError, lockLostError, type LockHolder } from './state-errors.js';
import type {
  AcquireLockOptions, DeleteOptions, JsonValue, ListOptions, LockLease, PutOptions, StateEntry, StateStore,
} from './state-store.js';
import { VersionedCellDirectory, type CellVersion } from './versioned-cell-directory.js';

/** A key's file content: its value, or the mark left by a delete (the key's versions must go on counting). */
type KeyRecord = { value: JsonValue } | { deleted: true };
/** A lock's file content: its holder, or the mark left by a release. */
type LockRecord = (LockHolder & { token: string }) | { released: true };

/** How often a waiting `acquireLock` looks again: short, as the wait is for another CLI on the same machine. */
const LOCK_POLL_MS = 50;

/**
 * The embedded {@link StateStore}: keys and locks as {@link VersionedCellDirectory} cells under `<dir>/keys` and
 * `<dir>/locks`, shared by every process that can write `dir` (every CLI on the machine: it lives under the data
 * root). Nothing runs in the background and nothing needs setting up; a process killed at any point leaves the
 * store consistent, since each change is one atomic `link()`.
 *
 * Not decorated for DI: the CLI opens it directly and must not load reflect-metadata; bind it with
 * `toConstantValue`.
 */
export class FileStateStore implements StateStore {
  readonly location: string;
  private readonly keys: VersionedCellDirectory;
  private readonly locks: VersionedCellDirectory;

  constructor(dir: string) {
    this.location = dir;
    this.keys = new VersionedCellDirectory(join(dir, 'keys'), join(dir, 'tmp'));
    this.locks = new VersionedCellDirectory(join(dir, 'locks'), join(dir, 'tmp'));
  }

  async get<T extends JsonValue = JsonValue>(key: string, signal?: AbortSignal): Promise<StateEntry<T> | undefined> {
    signal?.throwIfAborted();
    return toEntry<T>(key, await this.keys.read<KeyRecord>(key));
  }

  async list<T extends JsonValue = JsonValue>(options: ListOptions, signal?: AbortSignal): Promise<StateEntry<T>[]> {
    signal?.throwIfAborted();
    const names = (await this.keys.names()).filter((name) => name.startsWith(options.prefix)).sort(byteOrder);
    const entries = await Promise.all(names.map(async (name) => toEntry<T>(name, await this.keys.read<KeyRecord>(name))));
    return entries.filter((entry): entry is StateEntry<T> => entry !== undefined);
  }

  async put<T extends JsonValue>(options: PutOptions<T>, signal?: AbortSignal): Promise<StateEntry<T>> {
    const version = await this.writeKey(options.key, options.ifVersion, { value: options.value }, signal);
    return { key: options.key, value: options.value, version };
  }

  async delete(options: DeleteOptions, signal?: AbortSignal): Promise<boolean> {
    const current = await this.keys.read<KeyRecord>(options.key);
    if (!isLive(current)) {
      if (options.ifVersion) throw casConflict(options.key, options.ifVersion, 0);
      return false;
    }
    await this.writeKey(options.key, options.ifVersion, { deleted: true }, signal);
    return true;
  }

  async acquireLock(options: AcquireLockOptions, signal?: AbortSignal): Promise<LockLease> {
    checkLockTtl(options.ttlMs);
    const started = Date.now();
    for (;;) {
      signal?.throwIfAborted();
      const current = await this.locks.read<LockRecord>(options.name);
      const holder = heldBy(current);
      if (!holder) {
        const lease: LockLease = {
          name: options.name, owner: options.owner, token: randomUUID(), ttlMs: options.ttlMs,
          expiresAt: Date.now() + options.ttlMs,
        };
        const record: LockRecord = { token: lease.token, owner: lease.owner, expiresAt: lease.expiresAt };
        if (await this.locks.write(options.name, current?.version ?? 0, record)) return lease;
        continue;
      }
      const waited = Date.now() - started;
      if (waited >= (options.waitMs ?? 0)) throw lockHeldError(options.name, holder, waited);
      await sleep(Math.min(LOCK_POLL_MS, (options.waitMs ?? 0) - waited), undefined, { signal });
    }
  }

  async renewLock(lease: LockLease, signal?: AbortSignal): Promise<LockLease> {
    for (;;) {
      signal?.throwIfAborted();
      const current = await this.locks.read<LockRecord>(lease.name);
      if (heldBy(current)?.token !== lease.token) throw lockLostError(lease.name, lease.owner);
      const renewed = { ...lease, expiresAt: Date.now() + lease.ttlMs };
      const record: LockRecord = { token: lease.token, owner: lease.owner, expiresAt: renewed.expiresAt };
      if (await this.locks.write(lease.name, current!.version, record)) return renewed;
    }
  }

  async releaseLock(lease: LockLease, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const current = await this.locks.read<LockRecord>(lease.name);
      if (heldBy(current)?.token !== lease.token) return;
      if (await this.locks.write(lease.name, current!.version, { released: true })) return;
    }
  }

  /** Writes the next version of a key, checking `ifVersion` (when given) against the live version (0: absent). */
  private async writeKey(key: string, ifVersion: number | undefined, record: KeyRecord, signal?: AbortSignal): Promise<number> {
    for (;;) {
      signal?.throwIfAborted();
      const current = await this.keys.read<KeyRecord>(key);
      const liveVersion = isLive(current) ? current.version : 0;
      if (ifVersion !== undefined && ifVersion !== liveVersion) throw casConflict(key, ifVersion, liveVersion);
      const written = await this.keys.write(key, current?.version ?? 0, record);
      if (written !== false) return written;
      // Another writer got in between: an unconditional write just goes on top, a conditional one re-checks.
    }
  }
}

function isLive(cell: CellVersion<KeyRecord> | undefined): cell is CellVersion<{ value: JsonValue }> {
  return cell !== undefined && 'value' in cell.content;
}

function toEntry<T extends JsonValue>(key: string, cell: CellVersion<KeyRecord> | undefined): StateEntry<T> | undefined {
  return isLive(cell) ? { key, value: cell.content.value as T, version: cell.version } : undefined;
}

function heldBy(cell: CellVersion<LockRecord> | undefined): (LockHolder & { token: string }) | undefined {
  if (!cell || 'released' in cell.content || cell.content.expiresAt <= Date.now()) return undefined;
  return cell.content;
}

/** Code-unit order, the same as Redis' byte order for the ASCII keys compose writes. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
