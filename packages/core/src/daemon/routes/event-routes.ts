// SPDX-License-Identifier: Apache-2.0
import type { EngineEvent } from '../../events/engine-event.js';
import type { EventBus } from '../../events/event-bus.js';
import { EventHistory } from '../../events/event-history.js';
import { InvalidArgumentError } from '../../errors/engine-error.js';
import { familiarName, parseImageReference } from '../../registry/image-reference-parser.js';
import { parseFilters, startJsonStream } from '../http-responses.js';
import type { Route } from '../route.js';

/** The filters `GET /events` understands (moby `daemon/events/filter.go`, the subset the engine's events carry). */
const FILTER_KEYS = new Set(['type', 'event', 'container', 'image', 'label', 'scope']);

/**
 * `GET /events`: recent events since `since`, then live ones until `until` or until the client goes away, as
 * newline-delimited JSON in Docker's shape (with the legacy `status`/`id`/`from` older clients read).
 */
export function eventRoutes(bus: EventBus): Route[] {
  const history = new EventHistory(bus);
  return [
    {
      method: 'GET',
      path: '/events',
      handler: async ({ res, query, signal }) => {
        const filters = parseFilters(query);
        for (const key of Object.keys(filters)) if (!FILTER_KEYS.has(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
        const sinceNs = parseEventTime(query.get('since'));
        const untilNs = parseEventTime(query.get('until'));
        const wanted = (event: EngineEvent) => matches(event, filters) && (untilNs === undefined || event.timeNano <= untilNs);
        const send = startJsonStream(res);
        const live: EngineEvent[] = [];
        let deliver = (event: EngineEvent): void => void live.push(event);
        const unsubscribe = bus.subscribe((event) => deliver(event));
        try {
          // Subscribed before replaying, so nothing falls between history and live; the replay decides the order.
          const replayed = sinceNs === undefined ? [] : history.since(sinceNs);
          const seen = new Set(replayed);
          for (const event of [...replayed, ...live.filter((e) => !seen.has(e))]) if (wanted(event)) send(withLegacyFields(event));
          deliver = (event) => {
            if (wanted(event)) send(withLegacyFields(event));
          };
          const waitMs = untilNs === undefined ? undefined : Math.max(0, untilNs / 1e6 - Date.now());
          await new Promise<void>((resolve) => {
            if (signal.aborted) return resolve();
            signal.addEventListener('abort', () => resolve(), { once: true });
            if (waitMs !== undefined) setTimeout(resolve, waitMs).unref();
          });
        } finally {
          unsubscribe();
          res.end();
        }
      },
    },
  ];
}

function matches(event: EngineEvent, filters: Record<string, string[]>): boolean {
  const attributes = event.Actor.Attributes;
  return Object.entries(filters).every(([key, values]) =>
    values.some((value) => {
      switch (key) {
        case 'type':
          return event.Type === value;
        case 'event':
          // `health_status` matches `health_status: healthy`, `exec_start` matches `exec_start: sh -c …`.
          return event.Action === value || event.Action.split(':')[0] === value;
        case 'container':
          return event.Type === 'container' && (event.Actor.ID.startsWith(value) || attributes.name === value);
        case 'image':
          return imageNames(event).includes(value);
        case 'label': {
          const eq = value.indexOf('=');
          return eq < 0 ? value in attributes : attributes[value.slice(0, eq)] === value.slice(eq + 1);
        }
        default:
          return value === 'local';
      }
    }),
  );
}

/**
 * What an `image` filter matches (moby `matchImage`): the actor and its image name (`name` of an image event,
 * `image` of others), each also without tag or digest, so `busybox` matches `busybox:latest`.
 */
function imageNames(event: EngineEvent): string[] {
  const name = event.Actor.Attributes[event.Type === 'image' ? 'name' : 'image'] ?? '';
  return [event.Actor.ID, name].flatMap((each) => [each, repositoryOf(each)]);
}

function repositoryOf(name: string): string {
  try {
    const { domain, path } = parseImageReference(name, { defaultTag: false });
    return familiarName({ domain, path });
  } catch {
    return name;
  }
}

/** `since`/`until` as Docker's clients send them: Unix seconds with an optional fraction (`1700000000.123456789`). */
function parseEventTime(value: string | null): number | undefined {
  if (!value) return undefined;
  const unix = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (unix) return Number(unix[1]) * 1e9 + Number((unix[2] ?? '').padEnd(9, '0'));
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw new InvalidArgumentError(`invalid time value: ${value}`);
  return date * 1e6;
}

function withLegacyFields(event: EngineEvent): EngineEvent & { status?: string; id?: string; from?: string } {
  if (event.Type !== 'container') return event;
  return { status: event.Action, id: event.Actor.ID, from: event.Actor.Attributes.image, ...event };
}
