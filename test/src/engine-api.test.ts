// SPDX-License-Identifier: Apache-2.0
// Wire details of the Docker Engine API that existing clients depend on, checked over the real unix socket.
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { apiCall } from './support/api-call.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import type { FixtureRegistry } from './support/fixture-registry.js';

describe('Docker Engine API wire details', () => {
  let setup: EngineWithImages;
  let registry: FixtureRegistry;
  let engine: EngineDaemon;
  let image: string;

  const call = (method: string, path: string, body?: unknown) => apiCall(engine.socketPath, method, path, body);

  before(async () => {
    setup = await startEngineWithImages();
    ({ registry, engine, busybox: image } = setup);
  });

  after(() => setup?.stop());

  it("answers the ping with the headers clients negotiate from", async () => {
    const { res, body } = await call('GET', '/_ping');
    assert.equal(body.toString(), 'OK');
    assert.equal(res.headers['api-version'], '1.41');
    assert.equal(res.headers['ostype'], 'linux');
    const head = await call('HEAD', '/_ping');
    assert.equal(head.res.statusCode, 200);
  });

  it('refuses a newer API version with a JSON error whose Content-Type is exactly application/json', async () => {
    const { res, body } = await call('GET', '/v1.99/version');
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(body.toString()), { message: 'client version 1.99 is too new. Maximum supported API version is 1.41' });
    assert.equal((await call('GET', '/v1.40/version')).res.statusCode, 200);
  });

  it('answers 404 "No such image" on create, which makes docker pull', async () => {
    const { res, body } = await call('POST', '/v1.41/containers/create', { Image: `${registry.host}/fixtures/absent` });
    assert.equal(res.statusCode, 404);
    assert.match(JSON.parse(body.toString()).message, /^No such image: /);
  });

  it('flushes the wait headers before the container exits, and multiplexes stdout and stderr in logs', async () => {
    const created = await call('POST', '/v1.41/containers/create?name=api-wait', {
      Image: image,
      Cmd: ['sh', '-c', 'echo out; echo err >&2; sleep 1; exit 4'],
    });
    assert.equal(created.res.statusCode, 201);
    const { Id } = JSON.parse(created.body.toString()) as { Id: string };

    const headersAt = new Promise<{ at: number; res: IncomingMessage }>((resolve, reject) => {
      const req = request({ socketPath: engine.socketPath, method: 'POST', path: `/v1.41/containers/${Id}/wait?condition=next-exit` }, (res) =>
        resolve({ at: Date.now(), res }),
      );
      req.on('error', reject);
      req.end();
    });
    const { at, res } = await headersAt;
    assert.equal(res.statusCode, 200);
    const start = await call('POST', `/v1.41/containers/${Id}/start`);
    assert.equal(start.res.statusCode, 204);
    const startedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    assert.ok(at < startedAt, 'the wait answered its headers before the container ran');
    assert.deepEqual(JSON.parse(Buffer.concat(chunks).toString()), { StatusCode: 4, Error: null });

    const logs = await call('GET', `/v1.41/containers/${Id}/logs?stdout=1&stderr=1`);
    const frames: [number, string][] = [];
    for (let offset = 0; offset < logs.body.length; ) {
      const size = logs.body.readUInt32BE(offset + 4);
      frames.push([logs.body[offset], logs.body.subarray(offset + 8, offset + 8 + size).toString()]);
      offset += 8 + size;
    }
    assert.deepEqual(frames.sort(), [[1, 'out\n'], [2, 'err\n']]);

    assert.equal((await call('POST', `/v1.41/containers/${Id}/stop`)).res.statusCode, 304, 'stopping a stopped container');
    assert.equal((await call('DELETE', `/v1.41/containers/${Id}`)).res.statusCode, 204);
    assert.equal((await call('GET', `/v1.41/containers/${Id}/json`)).res.statusCode, 404);
  });
});
