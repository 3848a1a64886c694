// SPDX-License-Identifier: Apache-2.0
import type { JsonValue } from './state-store.js';

/** Where reading starts: the beginning of a stream. */
export const STREAM_START = '0';
/** Where reading starts: after the last event appended so far (only what comes next). */
export const STREAM_END = '$';

/** An event to append: the envelope's variable part. */
export interface StreamEventInput {
  /** The stream: one per compose project, named after it. */
  namespace: string;
  /** Path-like, most general first: `/container/start`, `/service/health_status`. */
  topic: string;
  payload: { [key: string]: JsonValue };
}

/** An event as stored: its envelope (id, time, namespace, topic) and payload. */
export interface StreamEvent extends StreamEventInput {
  /** Position in its stream, given by the store. Opaque: only ever passed back as `after`. */
  id: string;
  /** Milliseconds since the epoch, when it was appended. */
  timestamp: number;
}

export interface ReadEventsOptions {
  namespace: string;
  /** Events after this id, or after {@link STREAM_START} (the default) or {@link STREAM_END}. */
  after?: string;
  /** At most this many; default all. */
  limit?: number;
}

export interface SubscribeEventsOptions {
  namespace: string;
  /** As {@link ReadEventsOptions.after}, but defaulting to {@link STREAM_END}: only events appended from now on. */
  after?: string;
}

/**
 * Append-only, per-namespace event streams shared by every process using the same store, with live
 * subscription — `compose events` in two terminals shows the same events in the same order, and `compose logs -f`
 * learns from `/container/start` events which container to follow next.
 *
 * Vocabulary:
 * - **namespace**: one stream (a compose project). Streams exist as soon as something is appended.
 * - **id**: an event's position, increasing within its stream. A reader that remembers the last id it saw resumes
 *   exactly after it: with `read` after a restart, or `subscribe` to go on live.
 * - A stream may be trimmed to its most recent events (Redis keeps about ten thousand); ids stay valid cursors.
 *
 * Walk-through — `compose events` while `compose up` runs elsewhere:
 * 1. `const live = await subscribe({ namespace: 'shop' })`. From the moment the promise resolves, every event
 *    appended is delivered, even if iteration starts later.
 * 2. The other CLI calls `append({ namespace: 'shop', topic: '/container/start', payload: { service: 'web' } })`.
 * 3. `for await (const event of live)` yields it with its id and timestamp; `break` (or aborting the signal) ends
 *    the subscription and frees what it held.
 *
 * Failures: as {@link StateStore}'s — `unavailable` errors name the store; a subscription whose store goes away
 * throws from its iterator, and can be resumed after the last id seen.
 */
export interface EventStream {
  readonly location: string;
  append(event: StreamEventInput, signal?: AbortSignal): Promise<StreamEvent>;
  /** The events stored after a position, oldest first. */
  read(options: ReadEventsOptions, signal?: AbortSignal): Promise<StreamEvent[]>;
  /** Events as they are appended, until the iteration stops or `signal` aborts (which ends it without an error). */
  subscribe(options: SubscribeEventsOptions, signal?: AbortSignal): Promise<AsyncIterable<StreamEvent>>;
}

/** DI token for {@link EventStream}. */
export const EventStream = Symbol.for('tsc-engine:EventStream');
