// SPDX-License-Identifier: Apache-2.0
import type { EngineEvent } from './engine-event.js';

/** Publishes engine events to whoever listens (the `/events` endpoint, waiters, compose). */
export interface EventBus {
  publish(event: Omit<EngineEvent, 'scope' | 'time' | 'timeNano'>): void;
  /** Calls `listener` for every event from now on; returns a function that stops it. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/** DI token for {@link EventBus}. */
export const EventBus = Symbol.for('tsc-engine:EventBus');
