// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { EngineConfig } from '../config/engine-config.js';
import type { ContainerRecord } from './container-record.js';
import { ContainerStore } from './container-store.js';

let dataRoot: string;
before(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), 'container-store-test-'));
});
after(() => rm(dataRoot, { recursive: true, force: true }));

const record = (id: string, name: string) => ({ id, name }) as unknown as ContainerRecord;

test('a deletion asked for while saves are under way comes after them: the record stays gone', async () => {
  const store = new ContainerStore({ dataRoot } as EngineConfig);
  const saves = [store.save(record('a', 'one')), store.save(record('a', 'two'))];
  const deleted = store.delete('a');
  await Promise.all([...saves, deleted]);
  await assert.rejects(access(store.directory('a')), { code: 'ENOENT' });
  assert.deepEqual(await store.loadAll(), []);
});

test('saves land in the order asked, with the record as it was when asked', async () => {
  const store = new ContainerStore({ dataRoot } as EngineConfig);
  const changing = { id: 'b', name: 'first' } as unknown as ContainerRecord;
  const first = store.save(changing);
  changing.name = 'second';
  const second = store.save(changing);
  await first;
  await second;
  assert.equal(JSON.parse(await readFile(join(store.directory('b'), 'container.json'), 'utf8')).name, 'second');
  await store.delete('b');
});
