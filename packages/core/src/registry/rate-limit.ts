// SPDX-License-Identifier: Apache-2.0
import type { IncomingHttpHeaders } from 'node:http';

/** A registry's pull quota as its `RateLimit-*` headers state it (Docker Hub's, per the IETF draft). */
export interface RateLimit {
  /** Pulls allowed per window. */
  limit: number;
  remaining: number;
  /** The window's length in seconds (`;w=21600`), when stated. */
  windowSeconds?: number;
}

/** `ratelimit-limit: 100;w=21600` and `ratelimit-remaining: 76;w=21600`; undefined when either is absent or odd. */
export function parseRateLimit(headers: IncomingHttpHeaders): RateLimit | undefined {
  const limit = quota(headers['ratelimit-limit']);
  const remaining = quota(headers['ratelimit-remaining']);
  if (!limit || !remaining) return undefined;
  const windowSeconds = limit.window ?? remaining.window;
  return { limit: limit.value, remaining: remaining.value, ...(windowSeconds !== undefined && { windowSeconds }) };
}

/** `76 of 100 pulls remaining per 6h`. */
export function describeRateLimit(rateLimit: RateLimit): string {
  const window = rateLimit.windowSeconds;
  const per = window === undefined ? '' : window % 3600 === 0 ? ` per ${window / 3600}h` : ` per ${window}s`;
  return `${rateLimit.remaining} of ${rateLimit.limit} pulls remaining${per}`;
}

/**
 * Seconds to wait from a `Retry-After` header (seconds, or an HTTP date), or undefined when there is none or it
 * cannot be read.
 */
export function retryAfterSeconds(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function quota(value: string | string[] | undefined): { value: number; window?: number } | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const match = text === undefined ? null : /^\s*(\d+)\s*(?:;\s*w\s*=\s*(\d+))?/.exec(text);
  if (!match) return undefined;
  return { value: Number(match[1]), ...(match[2] !== undefined && { window: Number(match[2]) }) };
}
