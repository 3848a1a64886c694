// SPDX-License-Identifier: Apache-2.0
// Amazon ECR as the engine meets it, all on loopback: a local ECR API endpoint that checks SigV4 signatures and
// issues authorization tokens, in front of a real docker-registry (htpasswd) whose password is that token. The
// daemon's AWS SDK finds the endpoint through the standard AWS_ENDPOINT_URL_ECR, its credentials through the
// standard chain (here the environment); an ECR-looking host reaches the registry through the plugin's endpoint
// configuration. ECR Public the same way: public.ecr.aws, pointed by the same configuration at a docker-registry with
// token auth whose realm grants anonymous pulls and pushes to user AWS with the ecr-public API's token.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTokenIssuer, type TokenIssuer } from '../../packages/core/lib/testing/token-issuer.js';
import { ECR_PUBLIC_HOST, SdkEcrApi } from '../../packages/registry-ecr/lib/index.js';
import { startAuthRegistry, type AuthRegistry } from './support/auth-registry.js';
import { startEcrApiServer, type EcrApiServer } from './support/ecr-api-server.js';
import { EngineDaemon } from './support/engine-daemon.js';
import { startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';

const ECR_HOST = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
const ACCESS_KEY = 'AKIDTESTENGINE00001';
const SECRET_KEY = randomBytes(20).toString('base64');

describe('Amazon ECR through the CLI, with a signature-checking ECR API', { timeout: 300_000 }, () => {
  let fixtures: FixtureRegistry;
  let api: EcrApiServer;
  let registry: AuthRegistry;
  let issuer: TokenIssuer;
  let publicRegistry: AuthRegistry;
  let engine: EngineDaemon;

  before(async () => {
    const password = randomBytes(24).toString('base64url');
    const publicPassword = randomBytes(24).toString('base64url');
    fixtures = await startFixtureRegistry();
    api = await startEcrApiServer({ credentials: { [ACCESS_KEY]: SECRET_KEY }, password, publicPassword });
    registry = await startAuthRegistry({ auth: { htpasswd: { AWS: password } } });
    issuer = await startTokenIssuer({ users: { AWS: publicPassword }, anonymousActions: ['pull'] });
    publicRegistry = await startAuthRegistry({ auth: { section: issuer.registryAuthConfig() } });
    engine = await EngineDaemon.start({
      env: {
        AWS_ACCESS_KEY_ID: ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY: SECRET_KEY,
        AWS_ENDPOINT_URL_ECR: api.url,
        AWS_ENDPOINT_URL_ECR_PUBLIC: api.url,
        // Nothing may leave loopback: no instance metadata, no shared config of the machine's user.
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      },
      config: {
        plugins: {
          'tsc-engine.registry.v1.ecr': { endpoints: { [ECR_HOST]: `http://${registry.host}`, [ECR_PUBLIC_HOST]: `http://${publicRegistry.host}` } },
        },
      },
    });
  });

  after(async () => {
    await engine?.stop();
    await registry?.stop();
    await publicRegistry?.stop();
    await issuer?.close();
    await api?.close();
    await fixtures?.stop();
  });

  const ok = async (args: string[]) => {
    const result = await engine.cli(args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}\n${result.stdout}`);
    return result;
  };

  it('pushes with a token from a SigV4-signed GetAuthorizationToken, then pulls back with the cached token', async () => {
    const image = `${ECR_HOST}/team/app:1`;
    await ok(['pull', `${fixtures.host}/fixtures/busybox`]);
    await ok(['tag', `${fixtures.host}/fixtures/busybox`, image]);
    const push = await ok(['push', image]);
    assert.match(push.stdout, /1: digest: sha256:[0-9a-f]{64} size: \d+/);
    assert.deepEqual(api.calls, [{ service: 'ecr', accessKeyId: ACCESS_KEY, region: 'us-west-2', verified: true }]);

    await ok(['rmi', image]);
    const pull = await ok(['pull', image]);
    assert.match(pull.stdout, new RegExp(`Status: Downloaded newer image for ${ECR_HOST}/team/app:1`));
    assert.equal(api.calls.length, 1, 'the 12-hour token was reused');

    const plugins = await ok(['system', 'plugins']);
    assert.match(plugins.stdout, /tsc-engine\.registry\.v1\s+ecr\s+.*ok/);
  });

  it('pushes to ECR Public with a token from the ecr-public API in us-east-1, and pulls anonymously through its realm', async () => {
    const image = `${ECR_PUBLIC_HOST}/team/app:1`;
    await ok(['tag', `${fixtures.host}/fixtures/busybox`, image]);
    const calls = api.calls.length;
    const push = await ok(['push', image]);
    assert.match(push.stdout, /The push refers to repository \[public\.ecr\.aws\/team\/app\]/);
    assert.match(push.stdout, /1: digest: sha256:[0-9a-f]{64} size: \d+/);
    assert.deepEqual(api.calls.slice(calls), [{ service: 'ecr-public', accessKeyId: ACCESS_KEY, region: 'us-east-1', verified: true }]);
    assert.ok(issuer.requests.some((r) => r.user === 'AWS' && r.granted.includes('repository:team/app:pull,push')), 'the realm took the token');

    await ok(['rmi', image]);
    const tokens = issuer.requests.length;
    const pull = await ok(['pull', image]);
    assert.match(pull.stdout, /Status: Downloaded newer image for public\.ecr\.aws\/team\/app:1/);
    const anonymous = issuer.requests.slice(tokens);
    assert.ok(anonymous.length > 0 && anonymous.every((r) => r.user === undefined), 'the pull sent no credentials');
    assert.ok(anonymous.some((r) => r.granted.includes('repository:team/app:pull')));
    assert.equal(api.calls.length, calls + 1, 'a pull asks AWS for nothing');
  });

  it('is refused by the API when the signature is made with the wrong secret', async () => {
    const wrong = new SdkEcrApi({ credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'not-the-secret' }, endpoint: api.url });
    await assert.rejects(wrong.getAuthorizationToken({ service: 'ecr', registryId: '123456789012', region: 'us-west-2', fips: false, dualStack: false }),
      (error: Error & { code?: string; hint?: string }) => {
        assert.equal(error.code, 'unauthorized');
        assert.match(error.message, /GetAuthorizationToken: The request signature we calculated does not match/);
        assert.match(error.hint ?? '', /AWS credentials/);
        return true;
      });
    assert.equal(api.calls.at(-1)?.verified, false);
  });
});
