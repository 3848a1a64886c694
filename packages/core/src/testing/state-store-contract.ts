// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { errorCodeOf } from '../errors/engine-error.js';
import { STREAM_END, STREAM_START, type StreamEvent } from '../state/event-stream.js';
import type { StateBackend } from '../state/state-backend.js';
import type { LockLease } from '../state/state-store.js';
import { withLock } from '../state/with-lock.js';
import type { StateOpener, StateWorkerAction } from './state-store-worker.js';

/** A store to run the contract against, prepared once per suite. */
export interface StateStoreContractTarget {
  /** Opens a client of the store; called several times to act as several CLIs. */
  open(): Promise<StateBackend>;
  /** How a child process opens the same store, for the tests between processes. */
  opener: StateOpener;
  /** Stops whatever `setup` started. */
  dispose(): Promise<void>;
}

/**
 * The behaviour every {@link StateStore} / {@link EventStream} pair must have, in the style of the runtime
 * conformance suite. Call it at the top level of a test file:
 *
 * ```ts
 * stateStoreContract('redis', async () => {
 *   const server = await startRedisServer();
 *   return { open: () => openStateBackend(server.url), opener: { module, exportName: 'openStateBackend', spec: server.url },
 *            dispose: () => server.stop() };
 * });
 * ```
 *
 * Covers get/put/delete with versions and compare-and-set (and concurrent increments from two clients losing
 * nothing), listing by prefix, locks (contention, renewal, expiry, stale leases) in one process and between
 * processes (a waiter, a refusal naming the holder, a SIGKILLed holder's lock expiring), and event streams (order,
 * resuming after an id, live subscription in this process and in two others at once).
 */
export function stateStoreContract(name: string, setup: () => Promise<StateStoreContractTarget>): void {
  describe(`state store contract: ${name}`, () => {
    let target: StateStoreContractTarget;
    let a: StateBackend;
    let b: StateBackend;
    const children = new Set<ChildProcess>();
    /** A fresh key prefix per test, so tests share one store without seeing each other. */
    const scope = () => `contract/${randomUUID()}/`;

    before(async () => {
      target = await setup();
      [a, b] = await Promise.all([target.open(), target.open()]);
    });
    after(async () => {
      for (const child of children) child.kill('SIGKILL');
      await Promise.all([a?.close(), b?.close()]);
      await target?.dispose();
    });

    const worker = (task: StateWorkerAction) => {
      const child = spawn(process.execPath, [
        new URL('./state-store-worker.js', import.meta.url).pathname,
        JSON.stringify({ ...target.opener, ...task }),
      ], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.add(child);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
        children.delete(child);
        resolve(code);
      }));
      return { child, lines: new WorkerLines(child), exited };
    };

    it('reads, writes and versions keys', async () => {
      const key = `${scope()}app`;
      assert.equal(await a.store.get(key), undefined);
      const first = await a.store.put({ key, value: { image: 'busybox', ports: [80], nested: { ok: true } } });
      assert.ok(first.version > 0);
      assert.deepEqual(await b.store.get(key), first);
      const second = await b.store.put({ key, value: 'replaced' });
      assert.ok(second.version > first.version);
      assert.deepEqual(await a.store.get(key), { key, value: 'replaced', version: second.version });
    });

    it('compare-and-set refuses stale versions with a conflict', async () => {
      const key = `${scope()}récord.with/odd chars*`;
      const created = await a.store.put({ key, value: 1, ifVersion: 0 });
      await assert.rejects(a.store.put({ key, value: 2, ifVersion: 0 }), (e) => errorCodeOf(e) === 'conflict');
      const updated = await b.store.put({ key, value: 2, ifVersion: created.version });
      await assert.rejects(a.store.put({ key, value: 3, ifVersion: created.version }), (e: Error) =>
        errorCodeOf(e) === 'conflict' && e.message.includes(key));
      assert.equal((await a.store.get(key))?.value, 2);
      assert.equal((await a.store.put({ key, value: 3, ifVersion: updated.version })).value, 3);
    });

    it('loses no update when two clients increment one key concurrently', async () => {
      const key = `${scope()}counter`;
      const increment = async (client: StateBackend) => {
        for (;;) {
          const current = await client.store.get<number>(key);
          try {
            await client.store.put({ key, value: (current?.value ?? 0) + 1, ifVersion: current?.version ?? 0 });
            return;
          } catch (error) {
            if (errorCodeOf(error) !== 'conflict') throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 ? a : b)));
      assert.equal((await a.store.get(key))?.value, 20);
    });

    it('deletes keys, never reusing a version', async () => {
      const key = `${scope()}gone`;
      const written = await a.store.put({ key, value: 'x' });
      await assert.rejects(a.store.delete({ key, ifVersion: written.version + 1000 }), (e) => errorCodeOf(e) === 'conflict');
      assert.equal(await a.store.delete({ key, ifVersion: written.version }), true);
      assert.equal(await b.store.get(key), undefined);
      assert.equal(await b.store.delete({ key }), false);
      await assert.rejects(a.store.put({ key, value: 'y', ifVersion: written.version }), (e) => errorCodeOf(e) === 'conflict');
      const again = await a.store.put({ key, value: 'y', ifVersion: 0 });
      assert.ok(again.version > written.version);
    });

    it('lists keys by prefix, sorted, without deleted ones', async () => {
      const root = scope();
      for (const key of ['a/2', 'a/1', 'ab/1', 'b', 'a/3']) await a.store.put({ key: `${root}${key}`, value: key });
      await b.store.delete({ key: `${root}a/3` });
      const listed = await b.store.list({ prefix: `${root}a/` });
      assert.deepEqual(listed.map((e) => [e.key.slice(root.length), e.value]), [['a/1', 'a/1'], ['a/2', 'a/2']]);
      assert.equal((await a.store.list({ prefix: root })).length, 4);
      assert.deepEqual(await a.store.list({ prefix: `${root}zzz` }), []);
    });

    it('locks: one holder at a time, renewals, releases and stale leases', async () => {
      const name = `${scope()}lock`;
      const held = await a.store.acquireLock({ name, owner: 'compose up (test a)', ttlMs: 5000 });
      await assert.rejects(b.store.acquireLock({ name, owner: 'compose up (test b)', ttlMs: 5000, waitMs: 150 }),
        (e: Error) => errorCodeOf(e) === 'conflict' && e.message.includes('compose up (test a)') && e.message.includes(name));
      await sleep(5);
      const renewed = await a.store.renewLock(held);
      assert.ok(renewed.expiresAt > held.expiresAt);
      const waiter = b.store.acquireLock({ name, owner: 'compose up (test b)', ttlMs: 5000, waitMs: 5000 });
      await sleep(100);
      await a.store.releaseLock(renewed);
      const taken = await waiter;
      assert.notEqual(taken.token, held.token);
      await a.store.releaseLock(held); // stale: must not free b's lock
      await assert.rejects(a.store.renewLock(held), (e) => errorCodeOf(e) === 'conflict');
      await assert.rejects(a.store.acquireLock({ name, owner: 'x', ttlMs: 1000 }), (e) => errorCodeOf(e) === 'conflict');
      await b.store.releaseLock(taken);
      await b.store.releaseLock(taken);
      await a.store.releaseLock(await a.store.acquireLock({ name, owner: 'x', ttlMs: 1000 }));
    });

    it('locks expire when their lease is not renewed, and the old lease cannot touch the new one', async () => {
      const name = `${scope()}lock`;
      const old = await a.store.acquireLock({ name, owner: 'forgetful', ttlMs: 200 });
      const started = Date.now();
      const taken = await b.store.acquireLock({ name, owner: 'patient', ttlMs: 5000, waitMs: 3000 });
      assert.ok(Date.now() - started >= 100, 'taken before the lease ended');
      await assert.rejects(a.store.renewLock(old), (e) => errorCodeOf(e) === 'conflict');
      await a.store.releaseLock(old);
      await assert.rejects(a.store.acquireLock({ name, owner: 'x', ttlMs: 1000 }), /held by "patient"/);
      await b.store.releaseLock(taken);
    });

    it('withLock keeps renewing a lease for work longer than its time to live', async () => {
      const name = `${scope()}lock`;
      const result = await withLock(a.store, { name, owner: 'long work', ttlMs: 300 }, async () => {
        await sleep(800);
        await assert.rejects(b.store.acquireLock({ name, owner: 'b', ttlMs: 300 }), /held by "long work"/);
        return 'done';
      });
      assert.equal(result, 'done');
      await b.store.releaseLock(await b.store.acquireLock({ name, owner: 'b', ttlMs: 300 }));
    });

    it('between processes: a second CLI waits for the lock or fails naming the holder', async () => {
      const name = `${scope()}project`;
      const holder = worker({ action: 'lock', name, owner: 'compose up (pid holder)', ttlMs: 2000, waitMs: 0, holdMs: 1500 });
      await holder.lines.next((l) => 'acquired' in l);
      const refused = worker({ action: 'lock', name, owner: 'impatient', ttlMs: 2000, waitMs: 200, holdMs: 0 });
      const refusal = await refused.lines.next((l) => 'error' in l);
      assert.equal(refusal.code, 'conflict');
      assert.match(String(refusal.error), new RegExp(`lock ".*project" is held by "compose up \\(pid holder\\)"`));
      assert.equal(await refused.exited, 1);
      const waiting = worker({ action: 'lock', name, owner: 'patient', ttlMs: 2000, waitMs: 10_000, holdMs: 0 });
      const [released] = await Promise.all([holder.lines.next((l) => 'released' in l), waiting.lines.next((l) => 'acquired' in l)]);
      assert.ok(released);
      assert.equal(await waiting.exited, 0);
      assert.equal(await holder.exited, 0);
    });

    it('between processes: the lock of a SIGKILLed holder expires with its lease', async () => {
      const name = `${scope()}project`;
      const holder = worker({ action: 'lock', name, owner: 'doomed', ttlMs: 1000, waitMs: 0, holdMs: -1 });
      const acquired = (await holder.lines.next((l) => 'acquired' in l)).acquired as LockLease;
      await sleep(1200); // renewed at least once: the lease outlives its first term only because the holder lives
      await assert.rejects(a.store.acquireLock({ name, owner: 'early', ttlMs: 1000 }), /held by "doomed"/);
      holder.child.kill('SIGKILL');
      await holder.exited;
      const started = Date.now();
      const taken = await a.store.acquireLock({ name, owner: 'survivor', ttlMs: 1000, waitMs: 5000 });
      assert.ok(Date.now() - started < 2500, `waited ${Date.now() - started}ms`);
      assert.notEqual(taken.token, acquired.token);
      await a.store.releaseLock(taken);
    });

    it('event streams: append, read in order, resume after an id, limit', async () => {
      const namespace = `ns-${randomUUID()}`;
      assert.deepEqual(await a.events.read({ namespace }), []);
      const appended: StreamEvent[] = [];
      for (let i = 0; i < 5; i++) {
        appended.push(await (i % 2 ? a : b).events.append({ namespace, topic: '/container/start', payload: { n: i, service: 'web' } }));
      }
      const read = await b.events.read({ namespace });
      assert.deepEqual(read, appended);
      assert.deepEqual(read.map((e) => e.payload.n), [0, 1, 2, 3, 4]);
      assert.ok(read.every((e) => e.namespace === namespace && e.topic === '/container/start' && e.timestamp > 0));
      assert.deepEqual(await a.events.read({ namespace, after: appended[2].id }), appended.slice(3));
      assert.deepEqual(await a.events.read({ namespace, after: STREAM_START, limit: 2 }), appended.slice(0, 2));
      assert.deepEqual(await a.events.read({ namespace, after: STREAM_END }), []);
      assert.deepEqual(await a.events.read({ namespace: `${namespace}-other` }), []);
    });

    it('event streams: live subscription from now or from an id, ended by its signal', async () => {
      const namespace = `ns-${randomUUID()}`;
      const before = await a.events.append({ namespace, topic: '/old', payload: {} });
      const stop = new AbortController();
      const live = await b.events.subscribe({ namespace }, stop.signal);
      const resumed = await b.events.subscribe({ namespace, after: STREAM_START });
      const first = await a.events.append({ namespace, topic: '/new', payload: { i: 1 } });
      const second = await a.events.append({ namespace, topic: '/new', payload: { i: 2 } });
      const seen: StreamEvent[] = [];
      for await (const event of live) {
        seen.push(event);
        if (seen.length === 2) stop.abort();
      }
      assert.deepEqual(seen, [first, second]);
      const fromStart: StreamEvent[] = [];
      for await (const event of resumed) {
        fromStart.push(event);
        if (fromStart.length === 3) break;
      }
      assert.deepEqual(fromStart, [before, first, second]);
    });

    it('between processes: two subscribers see the same events live', async () => {
      const namespace = `ns-${randomUUID()}`;
      const subscribers = [0, 1].map(() => worker({ action: 'subscribe', namespace, count: 3 }));
      await Promise.all(subscribers.map((s) => s.lines.next((l) => 'ready' in l)));
      const appended: StreamEvent[] = [];
      for (const action of ['create', 'start', 'die']) {
        appended.push(await a.events.append({ namespace, topic: `/container/${action}`, payload: { service: 'web' } }));
        await sleep(20);
      }
      for (const subscriber of subscribers) {
        const events: unknown[] = [];
        for (let i = 0; i < 3; i++) events.push((await subscriber.lines.next((l) => 'event' in l)).event);
        assert.deepEqual(events, appended);
        assert.equal(await subscriber.exited, 0);
      }
    });
  });
}

/** A worker's stdout as JSON lines, consumed in order by predicate. */
class WorkerLines {
  private readonly lines: Record<string, unknown>[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(child: ChildProcess) {
    const reader = createInterface({ input: child.stdout! });
    reader.on('line', (line) => {
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
      for (const wake of this.waiters) wake();
    });
    reader.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters) wake();
    });
  }

  async next(match: (line: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.lines.findIndex(match);
      if (index !== -1) return this.lines.splice(index, 1)[0];
      if (this.closed || Date.now() > deadline) {
        throw new Error(`worker: no matching line; got ${JSON.stringify(this.lines)}${this.closed ? ' before exiting' : ''}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => { this.waiters.delete(wake); clearTimeout(timer); resolve(); };
        const timer = setTimeout(wake, Math.max(0, deadline - Date.now()) + 1);
        this.waiters.add(wake);
      });
    }
  }
}
