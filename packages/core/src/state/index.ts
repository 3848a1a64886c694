// SPDX-License-Identifier: Apache-2.0
// `@tsc-engine/core/state`: the StateStore and EventStream contracts and the embedded store, without
// reflect-metadata or inversify, for the CLI's compose commands.
export * from './state-store.js';
export * from './event-stream.js';
export type * from './state-backend.js';
export { withLock } from './with-lock.js';
export { casConflict, checkLockTtl, lockHeldError, lockLostError, type LockHolder } from './state-errors.js';
export { FileStateStore } from './file-state-store.js';
export { FileEventStream } from './file-event-stream.js';
export { defaultEmbeddedStateDir, openEmbeddedStateBackend } from './embedded-state-backend.js';
