// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCodeOf } from '@tsc-engine/core/client';
import { withLock, type StateBackend } from '@tsc-engine/core/state';
import { startRedisServer, stateStoreContract, type TestRedisServer } from '@tsc-engine/core/testing';
import { openStateBackend } from '../state/open-state-backend.js';

const opener = { module: new URL('../state/open-state-backend.js', import.meta.url).href, exportName: 'openStateBackend' };

stateStoreContract('redis', async () => {
  const server = await startRedisServer();
  return { open: () => openStateBackend(server.url), opener: { ...opener, spec: server.url }, dispose: () => server.stop() };
});

describe('redis state store when redis goes away', () => {
  let server: TestRedisServer;
  let backend: StateBackend;
  const unreachable = (server: TestRedisServer) => (error: Error & { hint?: string }) => {
    assert.equal(errorCodeOf(error), 'unavailable', error.stack);
    assert.match(error.message, new RegExp(`^state store at redis://127\\.0\\.0\\.1:${server.port} is unreachable: .+`));
    assert.match(error.hint ?? '', /check that redis-server is running/);
    return true;
  };

  /**
   * A command as `compose up` will run one: under the project lock, write each service's desired record and an
   * event. Records are whole desired states, so running it again after a failure repairs whatever was half done.
   */
  const converge = (services: number, afterEach: (i: number) => Promise<void> = async () => undefined) =>
    withLock(backend.store, { name: 'compose/project/shop', owner: 'compose up (test)', ttlMs: 3000 }, async (_lease, lost) => {
      for (let i = 0; i < services; i++) {
        lost.throwIfAborted();
        await backend.store.put({ key: `compose/service/shop/svc${i}`, value: { replicas: 1, image: `img${i}` } });
        await backend.events.append({ namespace: 'shop', topic: '/service/converged', payload: { service: `svc${i}` } });
        await afterEach(i);
      }
    });

  before(async () => {
    server = await startRedisServer();
    backend = await openStateBackend(server.url);
  });
  after(async () => {
    await backend?.close();
    await server?.stop();
  });

  it('fails fast with a clear error when nothing listens', async () => {
    const dead = await startRedisServer();
    await dead.kill();
    const client = await openStateBackend(dead.url);
    try {
      const started = Date.now();
      await assert.rejects(client.store.get('x'), unreachable(dead));
      await assert.rejects(client.events.append({ namespace: 'p', topic: '/t', payload: {} }), unreachable(dead));
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started}ms`);
    } finally {
      await client.close();
      await dead.stop();
    }
  });

  it('a command killed mid-way by an outage fails clearly, and its rerun converges with nothing lost', async () => {
    const follower = await openStateBackend(server.url);
    try {
      const live = await follower.events.subscribe({ namespace: 'shop' });
      // Caught at once: the follower may fail before the command does.
      const following = (async () => { for await (const event of live) void event; })().then(() => undefined, (e: Error) => e);
      const outage = converge(6, async (i) => {
        if (i === 2) await server.kill();
      });
      await assert.rejects(outage, unreachable(server));
      // A live follower fails the same way rather than hanging.
      const followerError = await following;
      assert.ok(followerError && unreachable(server)(followerError));
    } finally {
      await follower.close();
    }

    await server.restart();
    await waitUntilReachable(backend);
    await converge(6);
    const services = await backend.store.list({ prefix: 'compose/service/shop/' });
    assert.deepEqual(services.map((s) => [s.key, s.value]), Array.from({ length: 6 }, (_, i) =>
      [`compose/service/shop/svc${i}`, { replicas: 1, image: `img${i}` }]));
    const events = await backend.events.read({ namespace: 'shop' });
    assert.deepEqual(events.map((e) => e.payload.service), ['svc0', 'svc1', 'svc2', 'svc3', 'svc4', 'svc5']);
    // The lock of the failed run did not outlive the outage either.
    await backend.store.releaseLock(await backend.store.acquireLock({ name: 'compose/project/shop', owner: 'next', ttlMs: 1000 }));
  });

  it('a lock waiter fails clearly when redis goes away while it waits', async () => {
    const holder = await backend.store.acquireLock({ name: 'busy', owner: 'holder', ttlMs: 30_000 });
    const waiting = backend.store.acquireLock({ name: 'busy', owner: 'waiter', ttlMs: 1000, waitMs: 30_000 });
    // Expect the failure before causing it: the waiter may fail while the kill is still being awaited.
    const refused = assert.rejects(waiting, unreachable(server));
    await sleep(300);
    await server.kill();
    await refused;
    await server.restart();
    await waitUntilReachable(backend);
    await backend.store.releaseLock(holder);
  });
});

/** The background reconnection takes up to a couple of seconds after a restart. */
async function waitUntilReachable(backend: StateBackend): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await backend.store.get('ping');
      return;
    } catch (error) {
      if (attempt > 50 || errorCodeOf(error) !== 'unavailable') throw error;
      await sleep(100);
    }
  }
}
