// SPDX-License-Identifier: Apache-2.0
// Mutual TLS through the CLI: a real docker-registry serving HTTPS that requires a client certificate signed by
// its client CA (`http.tls.clientcas`), and the engine finding the certificate and its key in certs.d, as Docker
// reads `/etc/docker/certs.d/<host:port>/<name>.cert` and `<name>.key`.
import assert from 'node:assert/strict';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeClientCertificate, makeTlsCertificates, startAuthRegistry, type AuthRegistry } from './support/auth-registry.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

describe('registry requiring a client certificate (mutual TLS) through certs.d', { timeout: 300_000 }, () => {
  let setup: EngineWithImages;
  let registry: AuthRegistry;
  let engine: EngineDaemon;
  let client: { certificate: string; key: string };
  let stranger: { certificate: string; key: string };
  let hostDir: string;
  let image: string;

  const ok = async (args: string[]) => {
    const result = await engine.cli(args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}\n${result.stdout}`);
    return result;
  };
  const fails = async (args: string[]) => {
    const result = await engine.cli(args);
    assert.notEqual(result.code, 0, `${args.join(' ')} should fail: ${result.stdout}`);
    return result;
  };

  before(async () => {
    setup = await startEngineWithImages({
      daemon: { config: { plugins: { 'tsc-engine.registry.v1.hub': { hostAliases: { 'mtls.test': '127.0.0.1' } } } } },
    });
    engine = setup.engine;
    const dir = setup.dir;
    const server = await makeTlsCertificates(dir, ['mtls.test']);
    const trusted = await makeClientCertificate(dir, 'client', 'tsc-engine test client');
    client = trusted;
    // Signed by a CA the registry does not list: a certificate, but not one it accepts.
    stranger = await makeClientCertificate(dir, 'stranger', 'someone else');
    registry = await startAuthRegistry({ tls: { certificate: server.certificate, key: server.key, clientCas: [trusted.ca] } });
    const host = `mtls.test:${registry.port}`;
    hostDir = join(engine.dataRoot, 'certs.d', host);
    await mkdir(hostDir, { recursive: true });
    await copyFile(server.ca, join(hostDir, 'ca.crt'));
    image = `${host}/mtls/busybox`;
    await ok(['tag', setup.busybox, image]);
  });

  after(async () => {
    await registry?.stop();
    await setup?.stop();
  });

  it('is refused without a client certificate, with a hint naming where it goes', async () => {
    const push = await fails(['push', image]);
    assert.match(push.stderr, /the registry refused the tls handshake, asking for a client certificate it trusts \((sslv3|tlsv13) alert (bad certificate|certificate required)\)/);
    assert.match(push.stderr, new RegExp(`Hint: put a client certificate the registry accepts, and its key, in certs\\.d/mtls\\.test:${registry.port}/client\\.cert and client\\.key`));
  });

  it('names the missing half of a client certificate pair', async () => {
    await copyFile(client.certificate, join(hostDir, 'client.cert'));
    const push = await fails(['push', image]);
    assert.match(push.stderr, /missing key client\.key for client certificate client\.cert; CA certificates must use the extension \.crt/);
    await rm(join(hostDir, 'client.cert'));
    await writeFile(join(hostDir, 'orphan.key'), 'x');
    assert.match((await fails(['pull', image])).stderr, /missing client certificate orphan\.cert for key orphan\.key/);
    await rm(join(hostDir, 'orphan.key'));
  });

  it('refuses a key that is not the certificate\'s, and is refused with a certificate its client CA did not sign', async () => {
    await copyFile(client.certificate, join(hostDir, 'client.cert'));
    await copyFile(stranger.key, join(hostDir, 'client.key'));
    assert.match((await fails(['pull', image])).stderr, /client certificate client\.cert with key client\.key: .*key values mismatch/);
    await copyFile(stranger.certificate, join(hostDir, 'client.cert'));
    const push = await fails(['push', image]);
    assert.match(push.stderr, /the registry refused the tls handshake, asking for a client certificate it trusts/);
  });

  it('pushes and pulls with the pair in certs.d, picked up without a restart', async () => {
    await copyFile(client.certificate, join(hostDir, 'client.cert'));
    await copyFile(client.key, join(hostDir, 'client.key'));
    const push = await ok(['push', image]);
    assert.match(push.stdout, /latest: digest: sha256:[0-9a-f]{64} size: \d+/);
    await ok(['rmi', image]);
    const pull = await ok(['pull', image]);
    assert.match(pull.stdout, new RegExp(`Status: Downloaded newer image for ${image}:latest`));
  });
});
