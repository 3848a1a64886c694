// SPDX-License-Identifier: Apache-2.0
import { ConflictError, InvalidArgumentError, type EngineError } from '../errors/engine-error.js';

/** What is known about a lock's current holder, as stored with it. */
export interface LockHolder {
  owner: string;
  expiresAt: number;
}

/** The error every store gives for a lock still held after waiting: it names the holder and the way out. */
export function lockHeldError(name: string, holder: LockHolder | undefined, waitedMs: number): EngineError {
  const who = holder ? `"${holder.owner}"` : 'another process';
  const until = holder ? `, lease ends in ${Math.max(0, Math.ceil((holder.expiresAt - Date.now()) / 1000))}s` : '';
  return new ConflictError(`lock "${name}" is held by ${who}${until} (waited ${Math.round(waitedMs / 1000)}s)`, {
    hint: 'wait for that command to finish and retry; a holder that crashed frees the lock when its lease ends',
  });
}

/** The error for renewing a lease that is no longer held. */
export function lockLostError(name: string, owner: string): EngineError {
  return new ConflictError(`lock "${name}": lease of "${owner}" has expired or was released`, {
    hint: 'the work done under the lock may have raced another command; run it again',
  });
}

export function casConflict(key: string, expected: number, actual: number): EngineError {
  const found = actual === 0 ? 'it does not exist' : `it is at version ${actual}`;
  const wanted = expected === 0 ? 'to be absent' : `at version ${expected}`;
  return new ConflictError(`state key "${key}": expected ${wanted}, but ${found}`, {
    hint: 'another command changed it meanwhile; read it again and retry',
  });
}

export function checkLockTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new InvalidArgumentError(`lock ttl ${ttlMs}ms: must be a positive integer`);
}
