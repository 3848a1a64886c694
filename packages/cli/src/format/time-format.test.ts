// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanDuration } from '@tsc-engine/core/client';
import { goTimeString, timeAgo } from './time-format.js';

test('durations read as docker prints them (go-units HumanDuration)', () => {
  const cases: [number, string][] = [
    [0.4, 'Less than a second'], [1, '1 second'], [59, '59 seconds'], [60, 'About a minute'], [119, 'About a minute'],
    [120, '2 minutes'], [3599, '59 minutes'], [3600, 'About an hour'], [5399, 'About an hour'], [5400, '2 hours'],
    [47 * 3600, '47 hours'], [48 * 3600, '2 days'], [13 * 86400, '13 days'], [14 * 86400, '2 weeks'],
    [59 * 86400, '8 weeks'], [60 * 86400, '2 months'], [729 * 86400, '24 months'], [730 * 86400, '2 years'],
  ];
  for (const [seconds, text] of cases) assert.equal(humanDuration(seconds), text, `${seconds}s`);
});

test('"ago" times and Go time strings', () => {
  assert.equal(timeAgo(1_000, 1_075_000), 'About a minute ago');
  assert.equal(timeAgo(2_000, 1_000_000), 'Less than a second ago');
  assert.equal(goTimeString(1_700_000_000), '2023-11-14 22:13:20 +0000 UTC');
});
