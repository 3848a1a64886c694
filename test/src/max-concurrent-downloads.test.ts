// SPDX-License-Identifier: Apache-2.0
// daemon.json's `max-concurrent-downloads` through a real daemon: a bad value stops the daemon at start with a
// message naming the file and the key; a good one caps the layer downloads a pull keeps open at once, as a
// loopback proxy in front of a real registry sees them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { EngineDaemon } from './support/engine-daemon.js';
import { REPO_ROOT, startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';
import { startRegistryProxy } from './support/registry-proxy.js';

const CLI = join(REPO_ROOT, 'packages/cli/bin/run.js');
const execFileAsync = promisify(execFile);
/** How long a held layer download waits for the others to arrive: ample for requests a pull sends together. */
const GATHER_MS = 1000;

describe('daemon.json max-concurrent-downloads', { timeout: 300_000 }, () => {
  let registry: FixtureRegistry;
  let layers: string[];

  before(async () => {
    registry = await startFixtureRegistry();
    const manifest = await fetch(`http://${registry.host}/v2/fixtures/multilayer/manifests/latest`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    layers = ((await manifest.json()) as { layers: { digest: string }[] }).layers.map((layer) => layer.digest);
    assert.ok(layers.length >= 3, `multilayer has ${layers.length} layers`);
  });
  after(async () => {
    await registry?.stop();
  });

  it('refuses a value that is not a positive integer at start, naming the file and the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsc-engine-mcd-'));
    try {
      await Promise.all(([[0, '0'], [2.5, '2.5'], ['3', '"3"']] as const).map(async ([value, shown], i) => {
        const dataRoot = join(dir, String(i), 'data');
        await mkdir(dataRoot, { recursive: true });
        // A bridge of its own all the same, in case a daemon that should refuse the file goes on to set up networks.
        const bridge = `tsc${randomBytes(4).toString('hex')}`;
        await writeFile(join(dataRoot, 'daemon.json'), JSON.stringify({ bridge, dns: [], 'max-concurrent-downloads': value }));
        const args = [CLI, 'daemon', '--host', join(dir, String(i), 'engine.sock'), '--data-root', dataRoot, '--exec-root', join(dir, String(i), 'exec')];
        // A daemon that accepted the value would serve on: the timeout stops it.
        const started = await execFileAsync(process.execPath, args, { timeout: 30_000 }).then(
          () => assert.fail(`the daemon accepted ${shown} and exited 0`),
          (error: { code?: number; killed?: boolean; stderr: string }) => error,
        );
        assert.ok(!started.killed, `the daemon accepted ${shown} and ran:\n${started.stderr}`);
        assert.ok(
          started.stderr.includes(`${join(dataRoot, 'daemon.json')}: "max-concurrent-downloads" must be a positive integer, not ${shown}`),
          started.stderr,
        );
      }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  /**
   * Pulls the 4-layer fixture through a proxy that holds each layer download until every layer's has arrived (or
   * {@link GATHER_MS} passed), and returns the most it held at once: the downloads the daemon kept open together.
   */
  async function mostLayerDownloadsAtOnce(config: Record<string, unknown>): Promise<number> {
    let waiting = 0;
    let most = 0;
    let releaseAll = () => {};
    const gathered = new Promise<void>((resolve) => (releaseAll = resolve));
    const isLayerGet = (req: IncomingMessage) => req.method === 'GET' && layers.some((digest) => req.url?.endsWith(`/blobs/${digest}`));
    const proxy = await startRegistryProxy(registry.host, {
      hold(req) {
        if (!isLayerGet(req)) return undefined;
        most = Math.max(most, ++waiting);
        if (waiting === layers.length) releaseAll();
        return Promise.race([gathered, new Promise<void>((resolve) => setTimeout(resolve, GATHER_MS))]).then(() => {
          waiting--;
        });
      },
    });
    const engine = await EngineDaemon.start({ config });
    try {
      await engine.cliOk(['pull', '-q', `${proxy.host}/fixtures/multilayer:latest`]);
      assert.equal(proxy.blobGets().size, layers.length + 1, 'every layer and the config were downloaded');
      return most;
    } finally {
      await engine.stop();
      await proxy.stop();
    }
  }

  it('downloads no more layers at once than it allows', async () => {
    assert.equal(await mostLayerDownloadsAtOnce({ 'max-concurrent-downloads': 2 }), 2);
    assert.equal(await mostLayerDownloadsAtOnce({ 'max-concurrent-downloads': 1 }), 1);
  });

  it('downloads every layer at once by default', async () => {
    assert.equal(await mostLayerDownloadsAtOnce({}), layers.length);
  });
});
