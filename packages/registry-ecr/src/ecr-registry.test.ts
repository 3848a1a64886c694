// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineConfig, Registry, type PluginContext } from '@tsc-engine/core';
import { Container } from '@tsc-engine/core/shared/inversify';
import { registryConformance } from '@tsc-engine/core/testing';
import type { EcrApi, EcrAuthorization, EcrAuthorizationRequest } from './ecr-api.js';
import { decodeAuthorizationToken } from './ecr-api.js';
import { parseEcrHost } from './ecr-host.js';
import initEcrRegistry from './ecr-module.js';
import { EcrRegistry } from './ecr-registry.js';
import { ecrRegistryConfig } from './ecr-registry-config.js';
import { EcrTokenCache } from './ecr-token-cache.js';

const HOUR = 3600_000;

/** The AWS boundary faked: hands out numbered tokens valid for `lifetime`, or fails when told to. */
class FakeEcrApi implements EcrApi {
  calls: EcrAuthorizationRequest[] = [];
  failing = false;
  constructor(private readonly now: () => number, private readonly lifetime = 12 * HOUR, private readonly password = 'token') {}
  async getAuthorizationToken(request: EcrAuthorizationRequest): Promise<EcrAuthorization> {
    this.calls.push(request);
    if (this.failing) throw new Error('aws is down');
    return { username: 'AWS', password: `${this.password}-${this.calls.length}`, expiresAt: new Date(this.now() + this.lifetime) };
  }
}

describe('ECR hosts', () => {
  it('recognises every ECR host form, as the ECR credential helper does', () => {
    assert.deepEqual(parseEcrHost('123456789012.dkr.ecr.us-east-1.amazonaws.com'), { service: 'ecr', registryId: '123456789012', region: 'us-east-1', fips: false, dualStack: false });
    assert.deepEqual(parseEcrHost('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com'), { service: 'ecr', registryId: '123456789012', region: 'us-gov-west-1', fips: true, dualStack: false });
    assert.deepEqual(parseEcrHost('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'), { service: 'ecr', registryId: '123456789012', region: 'cn-north-1', fips: false, dualStack: false });
    assert.deepEqual(parseEcrHost('123456789012.dkr-ecr.eu-west-1.on.aws'), { service: 'ecr', registryId: '123456789012', region: 'eu-west-1', fips: false, dualStack: true });
    assert.equal(parseEcrHost('123456789012.dkr-ecr-fips.us-east-1.on.aws')?.fips, true);
    assert.equal(parseEcrHost('123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn')?.region, 'cn-north-1');
    assert.equal(parseEcrHost('123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov')?.region, 'us-iso-east-1');
    // ECR Public: one host, its API in us-east-1 whatever the caller's region.
    assert.deepEqual(parseEcrHost('Public.ECR.aws'), { service: 'ecr-public', registryId: '', region: 'us-east-1', fips: false, dualStack: false });
    for (const other of ['docker.io', '12345.dkr.ecr.us-east-1.amazonaws.com', '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.com', 'public.ecr.aws.evil.com', 'gallery.ecr.aws']) {
      assert.equal(parseEcrHost(other), undefined, other);
    }
  });

  it('claims ECR hosts and configured ones above the generic registry, and no others', () => {
    const registry = new EcrRegistry(ecrRegistryConfig({ endpoints: { 'registry.internal:5000': 'http://127.0.0.1:5000' } }), new FakeEcrApi(Date.now));
    assert.ok(registry.matches('123456789012.dkr.ecr.us-east-1.amazonaws.com') > 1);
    assert.ok(registry.matches('public.ecr.aws') > 1);
    assert.ok(registry.matches('registry.internal:5000') > 1);
    assert.equal(registry.matches('docker.io'), 0);
    assert.throws(() => ecrRegistryConfig({ endpoints: { x: 'ftp://x' } }), /endpoint of x must be an http\(s\) URL/);
  });

  it('decodes an authorization token on its first colon', () => {
    const token = Buffer.from('AWS:pass:with:colons').toString('base64');
    assert.deepEqual(decodeAuthorizationToken(token, new Date(0), 'x'), { username: 'AWS', password: 'pass:with:colons', expiresAt: new Date(0) });
    assert.throws(() => decodeAuthorizationToken(Buffer.from('nocolon').toString('base64'), new Date(0), 'x'), /not base64 of user:password/);
  });
});

describe('EcrTokenCache', () => {
  const request = { service: 'ecr', registryId: '123456789012', region: 'us-east-1', fips: false, dualStack: false } as const;

  it('keeps a token until shortly before its 12 hours end, shares concurrent asks, and falls back while valid', async () => {
    let now = 0;
    const api = new FakeEcrApi(() => now);
    const cache = new EcrTokenCache(api, () => now);
    const [first, again] = await Promise.all([cache.get(request), cache.get(request)]);
    assert.equal(first.password, 'token-1');
    assert.equal(again, first);
    now = 11 * HOUR;
    assert.equal((await cache.get(request)).password, 'token-1', 'still well within its life');
    now = 11.75 * HOUR;
    assert.equal((await cache.get(request)).password, 'token-2', 'renewed before it expires');
    assert.equal(api.calls.length, 2);
    now += 11.75 * HOUR;
    api.failing = true;
    assert.equal((await cache.get(request)).password, 'token-2', 'a failed renewal keeps the token still valid');
    now += HOUR;
    await assert.rejects(cache.get(request), /aws is down/);
  });
});

// The shared suite, with the conformance registry made an ECR registry by configuration; the fake API's token is
// not the private repository's password, so anonymous pulls there are refused as the suite expects.
registryConformance('ecr', {
  create: (target) => new EcrRegistry(ecrRegistryConfig({ endpoints: { [target.host]: target.url }, region: 'us-east-1' }), new FakeEcrApi(Date.now)),
});

describe('ECR plugin module', () => {
  it('binds the Registry contribution with its configuration', () => {
    const container = new Container();
    container.bind(EngineConfig).toConstantValue({ dataRoot: '/nonexistent' } as unknown as EngineConfig);
    const context: PluginContext = { type: 'tsc-engine.registry.v1', id: 'ecr', rootDir: '/nonexistent', stateDir: '/nonexistent', config: { region: 'us-east-1' } };
    container.load(initEcrRegistry(context));
    const registry = container.get<Registry>(Registry);
    assert.equal(registry.id, 'ecr');
    assert.ok(registry.matches('123456789012.dkr.ecr.us-east-1.amazonaws.com') > 0);
  });
});
