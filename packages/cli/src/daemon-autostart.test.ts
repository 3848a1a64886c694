// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HttpEngineClient } from '@tsc-engine/core/client';
import { autostartDaemon } from './daemon-autostart.js';

// Stands in for `run.js daemon --host H --data-root D`: serves ping on H, records its argv and pid, logs a line.
const FAKE_DAEMON = `
import http from 'node:http';
import { writeFileSync } from 'node:fs';
const [, , command, , host, , dataRoot] = process.argv;
writeFileSync(dataRoot + '/argv.json', JSON.stringify({ command, host, dataRoot, pid: process.pid }));
console.log('fake daemon listening');
http.createServer((q, r) => r.writeHead(200, { 'Content-Length': 2 }).end('OK')).listen(host);
`;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsc-engine-autostart-'));
  await writeFile(join(dir, 'daemon.mjs'), FAKE_DAEMON);
  await writeFile(join(dir, 'broken.mjs'), "console.error('cannot load plugins'); process.exit(3);");
});
after(() => rm(dir, { recursive: true, force: true }));

test('starts the daemon detached with the same host and data root, logging to <data-root>/daemon.log', async () => {
  const socketPath = join(dir, 'engine.sock');
  const dataRoot = join(dir, 'data');
  const client = new HttpEngineClient({ socketPath });
  let pid: number | undefined;
  try {
    const logPath = await autostartDaemon(client, { socketPath, dataRoot, cliScript: join(dir, 'daemon.mjs') });
    assert.equal(logPath, join(dataRoot, 'daemon.log'));
    const argv = JSON.parse(await readFile(join(dataRoot, 'argv.json'), 'utf8')) as { command: string; host: string; dataRoot: string; pid: number };
    pid = argv.pid;
    assert.deepEqual({ ...argv, pid: 0 }, { command: 'daemon', host: socketPath, dataRoot, pid: 0 });
    await client.ping();
    assert.equal(await readFile(logPath, 'utf8'), 'fake daemon listening\n');
  } finally {
    client.close();
    if (pid) process.kill(pid);
  }
});

test('a daemon that dies at start-up is reported at once, pointing at its log', async () => {
  const socketPath = join(dir, 'never.sock');
  const dataRoot = join(dir, 'broken-data');
  const client = new HttpEngineClient({ socketPath });
  const started = Date.now();
  await assert.rejects(autostartDaemon(client, { socketPath, dataRoot, cliScript: join(dir, 'broken.mjs') }), (error: Error & { code: string; hint: string }) => {
    assert.equal(error.code, 'unavailable');
    assert.match(error.message, /daemon started in the background stopped \(exit status 3\)/);
    assert.equal(error.hint, `see its log: ${join(dataRoot, 'daemon.log')}`);
    return true;
  });
  assert.ok(Date.now() - started < 10_000);
  assert.equal(await readFile(join(dataRoot, 'daemon.log'), 'utf8'), 'cannot load plugins\n');
  client.close();
});

test('a daemon that never answers times out with the same pointer', async () => {
  const socketPath = join(dir, 'silent.sock');
  const dataRoot = join(dir, 'silent-data');
  await writeFile(join(dir, 'silent.mjs'), "setTimeout(() => {}, 2000);");
  const client = new HttpEngineClient({ socketPath });
  await assert.rejects(autostartDaemon(client, { socketPath, dataRoot, cliScript: join(dir, 'silent.mjs'), timeoutMs: 300 }), {
    code: 'unavailable',
    message: /did not answer on unix:\/\/.*silent\.sock within 0\.3s/,
  });
  client.close();
});
