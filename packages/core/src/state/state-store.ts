// SPDX-License-Identifier: Apache-2.0

/** A value a {@link StateStore} holds: anything `JSON.stringify` round-trips. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One key as read from the store. */
export interface StateEntry<T extends JsonValue = JsonValue> {
  key: string;
  value: T;
  /** Changes on every write of the key and is never reused for it, even across a delete. Always > 0. */
  version: number;
}

export interface PutOptions<T extends JsonValue = JsonValue> {
  key: string;
  value: T;
  /**
   * Compare-and-set: write only if the key is still at this version (`0`: only if it does not exist), else throw a
   * `conflict` error. Leave it out for an unconditional write.
   */
  ifVersion?: number;
}

export interface DeleteOptions {
  key: string;
  /** As {@link PutOptions.ifVersion}; a delete of a missing key with no `ifVersion` is not an error. */
  ifVersion?: number;
}

export interface ListOptions {
  /** Keys starting with this string, compared byte-wise (so `project/a/` does not match `project/ab/`). */
  prefix: string;
}

export interface AcquireLockOptions {
  /** The lock's name; names share nothing with keys. */
  name: string;
  /** Who holds it, for people: shown to anyone who has to wait (`compose up (pid 412 on build-3)`). */
  owner: string;
  /** How long the lease lasts unless renewed. A holder that dies without releasing frees the lock after this. */
  ttlMs: number;
  /** How long to wait for a held lock before failing with a `conflict` error naming the holder; default 0. */
  waitMs?: number;
}

/** Proof of holding a lock, needed to renew or release it. */
export interface LockLease {
  name: string;
  owner: string;
  /** Unique per acquisition: a holder whose lease expired and was taken over cannot renew or release the new one. */
  token: string;
  /** The lease length each renewal grants. */
  ttlMs: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * Shared, durable coordination state for tools that run as separate processes — today compose, whose `up`, `ps`,
 * `events` and `down` may run from several CLIs at once, on one machine (the embedded store) or several (Redis).
 *
 * Vocabulary:
 * - **key**: a string naming one JSON value. Keys are paths by convention (`compose/project/shop`,
 *   `compose/service/shop/web`) so that {@link StateStore.list} by prefix reads a subtree.
 * - **version**: a number that changes on every write of a key. Reading a key gives its version; writing with
 *   `ifVersion` succeeds only if nobody wrote in between (optimistic concurrency, compare-and-set). There are no
 *   transactions over several keys: a multi-key change is made safe by a lock, and made *redoable* by writing the
 *   desired state (not deltas), so a command that died half-way can simply be run again.
 * - **lock**: a named mutual-exclusion lease with an owner description and a time to live. Holders renew it while
 *   they work (see {@link withLock}); a holder that crashes stops renewing and the lock frees itself when the lease
 *   ends. Every acquisition has its own token, so a late holder cannot release a lock someone else took over.
 *
 * Walk-through — `compose up` of project `shop` while another CLI runs `compose up shop` too:
 * 1. `acquireLock({ name: 'compose/project/shop', owner: 'compose up (pid 412)', ttlMs: 15_000, waitMs: 60_000 })`:
 *    the second CLI waits; if the first is still busy after `waitMs` it gets a `conflict` error that names
 *    `compose up (pid 412)`. The holder calls `renewLock(lease)` every few seconds while it works.
 * 2. `get('compose/project/shop')` → `{ value, version: 7 }`; convergence computes the new record and writes it with
 *    `put({ key, value, ifVersion: 7 })`. A `conflict` here means someone wrote without the lock: re-read and redo.
 * 3. `list({ prefix: 'compose/service/shop/' })` reads every service record of the project for `compose ps`.
 * 4. `releaseLock(lease)`. If the CLI was SIGKILLed before this, the lock is free `ttlMs` after its last renewal.
 *
 * Failures: a store that cannot be reached throws `unavailable` errors whose message names the store; an
 * operation that failed that way may or may not have been applied, which is why callers write redoable state.
 */
export interface StateStore {
  /** A human-readable location, for messages (`redis://127.0.0.1:6379/0`, `/var/lib/tsc-engine/state`). */
  readonly location: string;
  get<T extends JsonValue = JsonValue>(key: string, signal?: AbortSignal): Promise<StateEntry<T> | undefined>;
  /** Entries whose key starts with the prefix, sorted by key. */
  list<T extends JsonValue = JsonValue>(options: ListOptions, signal?: AbortSignal): Promise<StateEntry<T>[]>;
  /** Writes a key and returns it with its new version; `conflict` if `ifVersion` does not match. */
  put<T extends JsonValue>(options: PutOptions<T>, signal?: AbortSignal): Promise<StateEntry<T>>;
  /** Removes a key; false if there was none. `conflict` if `ifVersion` does not match. */
  delete(options: DeleteOptions, signal?: AbortSignal): Promise<boolean>;
  /** Takes a lock, waiting up to `waitMs` for its holder; a `conflict` error naming the holder otherwise. */
  acquireLock(options: AcquireLockOptions, signal?: AbortSignal): Promise<LockLease>;
  /** Extends a lease by its `ttlMs` from now; `conflict` if it was lost (expired and taken, or released). */
  renewLock(lease: LockLease, signal?: AbortSignal): Promise<LockLease>;
  /** Gives a lock up. Releasing a lease that expired, or was already released, is not an error. */
  releaseLock(lease: LockLease, signal?: AbortSignal): Promise<void>;
}

/** DI token for {@link StateStore}. */
export const StateStore = Symbol.for('tsc-engine:StateStore');
