// SPDX-License-Identifier: Apache-2.0
import { injectable } from 'inversify';
import type { EngineEvent } from './engine-event.js';
import type { EventBus } from './event-bus.js';

/** The daemon's own event bus: in process, synchronous, no history. */
@injectable()
export class InMemoryEventBus implements EventBus {
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  publish(event: Omit<EngineEvent, 'scope' | 'time' | 'timeNano'>): void {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const full: EngineEvent = {
      ...event,
      scope: 'local',
      time: Number(nowNs / 1_000_000_000n),
      timeNano: Number(nowNs),
    };
    for (const listener of this.listeners) listener(full);
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
