// SPDX-License-Identifier: Apache-2.0
import { humanDuration } from '@tsc-engine/core/client';

/** How long ago a Unix time (seconds) was, relative to `now` (milliseconds): `5 minutes ago`. */
export function timeAgo(unixSeconds: number, now = Date.now()): string {
  return `${humanDuration(Math.max(0, now / 1000 - unixSeconds))} ago`;
}

/** Go's `time.Time.String()` in UTC, which `docker ps --format '{{.CreatedAt}}'` shows. */
export function goTimeString(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}
