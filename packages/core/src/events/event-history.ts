// SPDX-License-Identifier: Apache-2.0
import type { EngineEvent } from './engine-event.js';
import type { EventBus } from './event-bus.js';

/** As many events as dockerd keeps for `docker events --since` (moby `daemon/events` `eventsLimit`). */
const HISTORY_LIMIT = 256;

/**
 * The daemon's recent events, for `GET /events?since=` to replay before going live. The {@link EventBus} itself
 * keeps no history: only this reader needs one.
 */
export class EventHistory {
  private readonly events: EngineEvent[] = [];

  constructor(bus: EventBus, private readonly limit = HISTORY_LIMIT) {
    bus.subscribe((event) => {
      this.events.push(event);
      if (this.events.length > this.limit) this.events.shift();
    });
  }

  /** Kept events at or after `sinceNs` (Unix nanoseconds), oldest first. */
  since(sinceNs: number): EngineEvent[] {
    return this.events.filter((event) => event.timeNano >= sinceNs);
  }
}
