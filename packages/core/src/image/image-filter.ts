// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';
import { familiarName, parseImageReference } from '../registry/image-reference-parser.js';
import type { ImageConfig } from './image-config.js';
import type { ImageRecord } from './image-record.js';

/** An image as filters see it. */
export interface FilterableImage {
  image: ImageRecord;
  config: ImageConfig;
}

/** Filter keys of `GET /images/json`. */
export const IMAGE_LIST_FILTERS = ['dangling', 'label', 'reference', 'until'] as const;
/** Filter keys of `POST /images/prune`. */
export const IMAGE_PRUNE_FILTERS = ['dangling', 'label', 'label!', 'until'] as const;

/**
 * Docker's image filters, each key's values or-ed and the keys and-ed: `dangling=true|false` (untagged or not),
 * `label=k` / `label=k=v` (and `label!`), `reference=glob` on the familiar name with or without its tag, and
 * `until=` a timestamp or a duration before now, compared with the image's creation time.
 */
export function imageFilter(filters: Record<string, string[]>, allowed: readonly string[], now = Date.now()): (candidate: FilterableImage) => boolean {
  for (const key of Object.keys(filters)) if (!allowed.includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
  const tests = Object.entries(filters).map(([key, values]): ((candidate: FilterableImage) => boolean) => {
    switch (key) {
      case 'dangling': {
        const wanted = values.map(parseBoolean);
        return ({ image }) => wanted.includes(image.repoTags.length === 0);
      }
      case 'label':
        return ({ config }) => values.every((value) => hasLabel(config, value));
      case 'label!':
        return ({ config }) => values.every((value) => !hasLabel(config, value));
      case 'reference': {
        const patterns = values.map(globPattern);
        return ({ image }) => [...image.repoTags, ...image.repoDigests].some((name) => patterns.some((pattern) => referenceMatches(pattern, name)));
      }
      default: {
        const limits = values.map((value) => parseTimestamp(value, now));
        return ({ config }) => limits.some((limit) => createdAt(config) < limit);
      }
    }
  });
  return (candidate) => tests.every((test) => test(candidate));
}

/**
 * Whether `name` (a fully qualified tag or digest reference) matches a `reference` filter's pattern, as moby's
 * `FamiliarMatch` decides: the whole familiar reference, or its repository alone.
 */
export function referenceMatches(pattern: RegExp, name: string): boolean {
  const reference = parseImageReference(name);
  return pattern.test(familiarName(reference)) || pattern.test(familiarName({ ...reference, tag: undefined, digest: undefined }));
}

/** A Go `path.Match` pattern as a regular expression: `*` and `?` stay within one path segment. */
export function globPattern(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) throw new InvalidArgumentError(`invalid reference filter '${glob}': unterminated [`);
      source += `[${glob.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * `until`/`since` values as Docker takes them: Unix seconds (may be fractional), RFC 3339 or a date, or a Go
 * duration (`10m`, `1h30m`) counted back from now. Answers milliseconds since the epoch.
 */
export function parseTimestamp(value: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const duration = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(value) ? goDuration(value) : undefined;
  if (duration !== undefined) return now - duration;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidArgumentError(`invalid timestamp or duration '${value}'`, { hint: 'use e.g. 24h, 2024-01-31 or 1706659200' });
  return time;
}

function goDuration(text: string): number {
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(amount) * unitMs[unit];
  return total;
}

function parseBoolean(value: string): boolean {
  if (['true', '1'].includes(value)) return true;
  if (['false', '0'].includes(value)) return false;
  throw new InvalidArgumentError(`invalid filter 'dangling=${value}'`, { hint: 'use dangling=true or dangling=false' });
}

function hasLabel(config: ImageConfig, filter: string): boolean {
  const labels = config.config?.Labels ?? {};
  const equals = filter.indexOf('=');
  if (equals < 0) return filter in labels;
  return labels[filter.slice(0, equals)] === filter.slice(equals + 1);
}

/** When the image was built (its config's `created`), in milliseconds; the epoch when it does not say. */
export function createdAt(config: ImageConfig): number {
  const time = config.created ? Date.parse(config.created) : NaN;
  return Number.isNaN(time) ? 0 : time;
}
