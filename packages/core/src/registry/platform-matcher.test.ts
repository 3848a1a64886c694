// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Descriptor } from './descriptor.js';
import { hostPlatform, parsePlatform, selectPlatformManifest } from './platform-matcher.js';

const entry = (digestChar: string, platform: Descriptor['platform'], annotations?: Record<string, string>): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${digestChar.repeat(64)}`,
  size: 1,
  platform,
  ...(annotations && { annotations }),
});

describe('selectPlatformManifest', () => {
  const index = [
    entry('0', { os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest' }),
    entry('1', { os: 'linux', architecture: 'amd64' }),
    entry('2', { os: 'linux', architecture: 'arm', variant: 'v6' }),
    entry('3', { os: 'linux', architecture: 'arm', variant: 'v7' }),
    entry('4', { os: 'linux', architecture: 'arm64', variant: 'v8' }),
    entry('5', { os: 'linux', architecture: 'amd64' }),
  ];
  const pick = (platform: string) => selectPlatformManifest(index, parsePlatform(platform), 'x').digest[7];

  it('picks the first entry of the platform', () => assert.equal(pick('linux/amd64'), '1'));
  it('matches variants, an absent one meaning the baseline', () => {
    assert.equal(pick('linux/arm/v6'), '2');
    assert.equal(pick('linux/arm'), '3');
    assert.equal(pick('linux/arm64'), '4');
    assert.equal(pick('linux/arm64/v8'), '4');
  });
  it('never picks an attestation and lists what is available', () => {
    assert.throws(() => pick('unknown/unknown'), /no matching manifest for unknown\/unknown.*available: linux\/amd64, linux\/arm\/v6/);
    assert.throws(() => pick('linux/s390x'), (error: Error & { code?: string }) => error.code === 'not-found');
  });
  it('maps the host architecture to GOARCH names', () => {
    const expected: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
    assert.equal(hostPlatform().architecture, expected[process.arch] ?? hostPlatform().architecture);
    assert.equal(hostPlatform().os, 'linux');
  });
  it('rejects malformed platforms', () => assert.throws(() => parsePlatform('linux'), /expected os\/arch/));
});
