// SPDX-License-Identifier: Apache-2.0
import type { EventStream } from './event-stream.js';
import type { StateStore } from './state-store.js';

/**
 * An opened state location — the embedded store under a directory, or a Redis server — giving its
 * {@link StateStore} and {@link EventStream}, which share its connection. Close it when done so a CLI can exit.
 */
export interface StateBackend {
  readonly store: StateStore;
  readonly events: EventStream;
  close(): Promise<void>;
}
