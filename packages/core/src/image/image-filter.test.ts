// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageConfig } from './image-config.js';
import type { ImageRecord } from './image-record.js';
import { globPattern, IMAGE_LIST_FILTERS, IMAGE_PRUNE_FILTERS, imageFilter, parseTimestamp, referenceMatches } from './image-filter.js';

const NOW = Date.parse('2024-06-01T00:00:00Z');

function candidate(repoTags: string[], created: string, labels: Record<string, string> = {}) {
  const image = { id: 'sha256:x', repoTags, repoDigests: [] as string[] } as ImageRecord;
  const config = { architecture: 'amd64', os: 'linux', created, config: { Labels: labels }, rootfs: { type: 'layers', diff_ids: [] } } as ImageConfig;
  return { image, config };
}

describe('image filters', () => {
  it('matches references as moby does: familiar names, with or without the tag, globs within a segment', () => {
    assert.ok(referenceMatches(globPattern('busybox'), 'docker.io/library/busybox:latest'));
    assert.ok(referenceMatches(globPattern('busy*:lat?st'), 'docker.io/library/busybox:latest'));
    assert.ok(!referenceMatches(globPattern('*'), '127.0.0.1:5000/fixtures/busybox:latest'));
    assert.ok(referenceMatches(globPattern('*/fixtures/*'), '127.0.0.1:5000/fixtures/busybox:latest'));
    assert.ok(referenceMatches(globPattern('*/fixtures/*'), `127.0.0.1:5000/fixtures/busybox@sha256:${'a'.repeat(64)}`));
    assert.ok(!referenceMatches(globPattern('*/fixtures/*'), `127.0.0.1:5000/other/busybox@sha256:${'a'.repeat(64)}`));
    assert.ok(referenceMatches(globPattern('[ab]usybox'), 'docker.io/library/busybox:1'));
  });

  it('reads until as Unix seconds, RFC 3339 or a duration back from now', () => {
    assert.equal(parseTimestamp('1700000000', NOW), 1_700_000_000_000);
    assert.equal(parseTimestamp('2024-01-31T00:00:00Z', NOW), Date.parse('2024-01-31T00:00:00Z'));
    assert.equal(parseTimestamp('1h30m', NOW), NOW - 90 * 60_000);
    assert.throws(() => parseTimestamp('yesterday', NOW), /invalid timestamp/);
  });

  it('ands keys and ors values; refuses keys the endpoint does not know', () => {
    const old = candidate([], '2020-01-01T00:00:00Z', { team: 'a' });
    const fresh = candidate(['docker.io/library/x:1'], '2024-05-31T23:00:00Z');
    const prune = imageFilter({ dangling: ['true'], until: ['24h'], label: ['team=a'] }, IMAGE_PRUNE_FILTERS, NOW);
    assert.ok(prune(old));
    assert.ok(!prune(fresh));
    assert.ok(imageFilter({ 'label!': ['team'] }, IMAGE_PRUNE_FILTERS, NOW)(fresh));
    assert.ok(imageFilter({ dangling: ['false'], reference: ['x', 'y'] }, IMAGE_LIST_FILTERS, NOW)(fresh));
    assert.throws(() => imageFilter({ before: ['x'] }, IMAGE_LIST_FILTERS), /invalid filter 'before'/);
    assert.throws(() => imageFilter({ dangling: ['maybe'] }, IMAGE_LIST_FILTERS), /dangling=maybe/);
  });
});
