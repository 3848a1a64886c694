// SPDX-License-Identifier: Apache-2.0
import type { Redis } from 'ioredis';
import { InvalidArgumentError } from '@tsc-engine/core/client';
import {
  STREAM_END, STREAM_START, type EventStream, type ReadEventsOptions, type StreamEvent, type StreamEventInput,
  type SubscribeEventsOptions,
} from '@tsc-engine/core/state';
import type { RedisConnection } from './redis-state-store.js';

/** Streams keep about this many recent events (`XADD MAXLEN ~`), enough for `compose events` and `logs -f`. */
const MAX_LENGTH = 10_000;
/** How long one XREAD waits before looking again; bounded so a subscription notices its end promptly. */
const BLOCK_MS = 5000;

type StreamReply = [id: string, fields: string[]][];

/**
 * The Redis {@link EventStream}: one Redis stream per namespace (`tsc-engine:stream:<namespace>`), each event a
 * single field `e` holding its JSON; ids are Redis stream ids. Live subscriptions block in `XREAD` on a connection
 * of their own.
 */
export class RedisEventBus implements EventStream {
  readonly location: string;
  private readonly live = new Set<Redis>();
  private readonly streamPrefix: string;

  constructor(private readonly connection: RedisConnection) {
    this.location = connection.location;
    this.streamPrefix = `${connection.keyPrefix}stream:`;
  }

  async append(event: StreamEventInput, signal?: AbortSignal): Promise<StreamEvent> {
    signal?.throwIfAborted();
    const timestamp = Date.now();
    const body = JSON.stringify({ timestamp, topic: event.topic, payload: event.payload });
    const id = await this.connection.run(`append to events of "${event.namespace}"`, () =>
      this.connection.client.xadd(this.streamPrefix + event.namespace, 'MAXLEN', '~', MAX_LENGTH, '*', 'e', body));
    return { id: id!, namespace: event.namespace, timestamp, topic: event.topic, payload: event.payload };
  }

  async read(options: ReadEventsOptions, signal?: AbortSignal): Promise<StreamEvent[]> {
    signal?.throwIfAborted();
    const after = options.after ?? STREAM_START;
    if (after === STREAM_END) return [];
    const start = after === STREAM_START ? '-' : `(${checkId(options.namespace, after)}`;
    const key = this.streamPrefix + options.namespace;
    const reply = await this.connection.run(`read events of "${options.namespace}"`, () =>
      options.limit === undefined
        ? this.connection.client.xrange(key, start, '+')
        : this.connection.client.xrange(key, start, '+', 'COUNT', options.limit));
    return toEvents(options.namespace, reply);
  }

  async subscribe(options: SubscribeEventsOptions, signal?: AbortSignal): Promise<AsyncIterable<StreamEvent>> {
    signal?.throwIfAborted();
    const key = this.streamPrefix + options.namespace;
    const operation = `follow events of "${options.namespace}"`;
    const after = options.after ?? STREAM_END;
    // '$' must become a concrete id now: passed to XREAD it would mean "after the last one at each call", and
    // events appended between two calls would be missed.
    let position = after === STREAM_START ? '0-0' : after === STREAM_END
      ? (await this.connection.run(operation, () => this.connection.client.xrevrange(key, '+', '-', 'COUNT', 1)))[0]?.[0] ?? '0-0'
      : checkId(options.namespace, after);
    const reader = this.connection.duplicate();
    this.live.add(reader);
    const stop = () => reader.disconnect();
    signal?.addEventListener('abort', stop, { once: true });
    const self = this;
    async function* events(): AsyncGenerator<StreamEvent> {
      try {
        for (;;) {
          let reply: [key: string, entries: StreamReply][] | null;
          try {
            reply = await reader.xread('COUNT', 100, 'BLOCK', BLOCK_MS, 'STREAMS', key, position);
          } catch (error) {
            if (signal?.aborted || !self.live.has(reader)) return;
            throw self.connection.translate(operation, error);
          }
          for (const event of toEvents(options.namespace, reply?.[0]?.[1] ?? [])) {
            position = event.id;
            yield event;
          }
        }
      } finally {
        signal?.removeEventListener('abort', stop);
        self.live.delete(reader);
        reader.disconnect();
      }
    }
    return events();
  }

  /** Ends every live subscription. */
  close(): void {
    const readers = [...this.live];
    this.live.clear();
    for (const reader of readers) reader.disconnect();
  }
}

function toEvents(namespace: string, entries: StreamReply): StreamEvent[] {
  return entries.map(([id, fields]) => {
    const body = JSON.parse(fields[fields.indexOf('e') + 1]) as Omit<StreamEvent, 'id' | 'namespace'>;
    return { id, namespace, timestamp: body.timestamp, topic: body.topic, payload: body.payload };
  });
}

function checkId(namespace: string, id: string): string {
  if (!/^\d+-\d+$/.test(id)) throw new InvalidArgumentError(`event stream "${namespace}": "${id}" is not an event id of this store`);
  return id;
}
