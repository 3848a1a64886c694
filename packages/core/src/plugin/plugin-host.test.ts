// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Container } from 'inversify';
import type { EngineConfig } from '../config/engine-config.js';
import { RegistryResolver } from '../registry/registry-resolver.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import type { PluginPackage } from './plugin-manifest.js';
import { PluginHost } from './plugin-host.js';

const CORE_ENTRY = new URL('../index.js', import.meta.url).href;
const INVERSIFY_ENTRY = new URL('../shared/inversify.js', import.meta.url).href;

/** A plugin package on disk whose module binds a runtime whose probe does `probe` (JS source). */
async function runtimePackage(root: string, name: string, id: string, probe: string, requires?: string[]): Promise<PluginPackage> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'module.mjs'),
    `import { ContainerModule } from '${INVERSIFY_ENTRY}';
     import { Runtime } from '${CORE_ENTRY}';
     export default (context) => new ContainerModule(({ bind }) => { bind(Runtime).toConstantValue({
       id: '${id}', context, async probe() { ${probe} },
     }); });`,
  );
  return {
    name,
    version: '1.0.0',
    root: dir,
    manifest: { apiVersion: 1, plugins: [{ type: 'tsc-engine.runtime.v1', id, module: './module.mjs', requires }] },
  };
}

describe('PluginHost', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'plugin-host-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  function host() {
    const config: EngineConfig = {
      dataRoot: '/data', execRoot: '/exec', socketPath: '/s', insecureRegistries: [], registryMirrors: [],
      plugins: { 'tsc-engine.runtime.v1.good': { path: '/opt/good' } },
    };
    const runtimes = new RuntimeRegistry();
    return { runtimes, host: new PluginHost(new Container(), config, runtimes, new RegistryResolver()) };
  }

  it('loads good plugins, lists skipped and failed ones with their reason, and carries on', async () => {
    const { host: pluginHost, runtimes } = host();
    const packages = [
      await runtimePackage(root, 'good', 'good', ''),
      await runtimePackage(root, 'absent', 'absent', "const { PluginSkipError } = await import('" + CORE_ENTRY + "'); throw new PluginSkipError('absent binary not found');"),
      await runtimePackage(root, 'broken', 'broken', "throw new Error('kaboom on load');"),
      { name: 'bad-manifest', version: '0.0.1', root, manifest: { apiVersion: 9, plugins: [] } },
      await runtimePackage(root, 'needs-missing', 'needy', '', ['tsc-engine.registry.v1']),
    ];
    const statuses = await pluginHost.load(packages);
    const byPackage = Object.fromEntries(statuses.map((s) => [s.package, `${s.status}: ${s.reason ?? ''}`]));
    assert.equal(byPackage.good, 'ok: ');
    assert.equal(byPackage.absent, 'skipped: absent binary not found');
    assert.equal(byPackage.broken, 'error: kaboom on load');
    assert.match(byPackage['bad-manifest'], /^error: .*apiVersion 9 is not supported/);
    assert.match(byPackage['needs-missing'], /^skipped: requires tsc-engine\.registry\.v1/);
    assert.deepEqual(runtimes.list().map((r) => r.id), ['good']);
    const context = (runtimes.get('good') as unknown as { context: Record<string, unknown> }).context;
    assert.deepEqual(context, {
      type: 'tsc-engine.runtime.v1', id: 'good',
      rootDir: '/data/plugins/tsc-engine.runtime.v1.good', stateDir: '/exec/plugins/tsc-engine.runtime.v1.good',
      config: { path: '/opt/good' },
    });
  });

  it('lets a later package override a plugin of the same type and id', async () => {
    const { host: pluginHost } = host();
    const statuses = await pluginHost.load([
      await runtimePackage(root, 'core-good', 'same', ''),
      await runtimePackage(root, 'user-good', 'same', ''),
    ]);
    assert.deepEqual(statuses.map((s) => [s.package, s.status]), [['core-good', 'skipped'], ['user-good', 'ok']]);
  });

  it('reloads: keeps loaded plugins as they are, loads new ones and retries the ones that failed', async () => {
    const { host: pluginHost, runtimes } = host();
    const counters = globalThis as { firstProbes?: number; flakyFixed?: boolean };
    const first = await runtimePackage(root, 'first', 'first', 'globalThis.firstProbes = (globalThis.firstProbes ?? 0) + 1;');
    const flaky = await runtimePackage(root, 'flaky', 'flaky', "if (!globalThis.flakyFixed) throw new Error('not yet');");
    const kept = runtimes.list();
    assert.deepEqual((await pluginHost.load([first, flaky])).map((s) => s.status), ['ok', 'error']);
    const loadedFirst = runtimes.get('first');
    counters.flakyFixed = true;
    const later = await runtimePackage(root, 'later', 'later', '');
    const statuses = await pluginHost.load([first, flaky, later]);
    assert.deepEqual(statuses.map((s) => `${s.id}:${s.status}`), ['first:ok', 'flaky:ok', 'later:ok']);
    assert.equal(counters.firstProbes, 1, 'a loaded plugin is not loaded again');
    assert.equal(runtimes.get('first'), loadedFirst);
    assert.deepEqual(runtimes.list().map((r) => r.id), [...kept.map((r) => r.id), 'first', 'flaky', 'later']);
    const removed = (await pluginHost.load([flaky, later])).find((s) => s.id === 'first');
    assert.equal(removed?.status, 'ok');
    assert.match(removed?.reason ?? '', /removed; it stays loaded until the daemon restarts/);
  });

  it('reports a dependency cycle by name', async () => {
    const { host: pluginHost } = host();
    const a = await runtimePackage(root, 'a', 'a', '', ['tsc-engine.runtime.v1/b']);
    const b = await runtimePackage(root, 'b', 'b', '', ['tsc-engine.runtime.v1/a']);
    const statuses = await pluginHost.load([a, b]);
    assert.ok(statuses.every((s) => s.status === 'error' && /cycle: .*runtime\.v1\/a/.test(s.reason ?? '')));
  });
});
