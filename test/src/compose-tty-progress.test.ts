// SPDX-License-Identifier: Apache-2.0
// compose's live progress view on a real terminal (tmux): one line per object redrawn in place under one header,
// rather than a line per state change as on a pipe.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineDaemon } from './support/engine-daemon.js';
import { REPO_ROOT, startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';
import { ensurePackages } from './support/system-packages.js';
import { TmuxTerminals } from './support/tmux-terminal.js';

const PROJECT = 'livetty';
const TSC_ENGINE = `${process.execPath} ${join(REPO_ROOT, 'packages/cli/bin/run.js')}`;

describe('compose progress on a terminal', () => {
  let registry: FixtureRegistry;
  let engine: EngineDaemon;
  let dir: string;
  const terminals = new TmuxTerminals();

  const composeOnTerminal = async (...args: string[]): Promise<string> => {
    const term = await terminals.open(TSC_ENGINE, ['compose', '-f', join(dir, 'compose.yaml'), '-p', PROJECT, ...args], {
      env: { TSC_ENGINE_HOST: engine.socketPath, TSC_ENGINE_NO_AUTOSTART: '1' },
      context: () => `--- daemon log:\n${engine.log.slice(-3000)}`,
    });
    try {
      const screen = await term.waitFor(/\[exit \d+\]/, 60_000);
      assert.match(screen, /\[exit 0\]/);
      return screen;
    } finally {
      await term.close();
    }
  };

  before(async () => {
    await ensurePackages('runc', 'conmon', 'containernetworking-plugins', 'iptables', 'tmux');
    registry = await startFixtureRegistry();
    engine = await EngineDaemon.start();
    dir = await mkdtemp(join(tmpdir(), 'tsc-engine-compose-tty-'));
    const image = `${registry.host}/fixtures/busybox`;
    const service = (name: string) => `  ${name}:\n    image: ${image}\n    command: ["sleep", "300"]\n    stop_grace_period: 1s\n`;
    await writeFile(join(dir, 'compose.yaml'), `services:\n${['alpha', 'beta', 'gamma'].map(service).join('')}`);
  });

  after(async () => {
    await terminals.stop();
    await engine?.cli(['compose', '-f', join(dir, 'compose.yaml'), '-p', PROJECT, 'down', '-t', '0']);
    await engine?.stop();
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('up -d redraws one line per object in place and ends with every object done', async () => {
    const screen = await composeOnTerminal('up', '-d');
    const headers = screen.match(/^\[\+\] Running \d+\/\d+$/gm) ?? [];
    assert.deepEqual(headers, ['[+] Running 5/5'], `one header, redrawn, counting image, network and three containers:\n${screen}`);
    for (const name of ['alpha', 'beta', 'gamma']) {
      const lines = screen.split('\n').filter((line) => line.includes(`Container ${PROJECT}-${name}-1 `));
      assert.deepEqual(lines.map((line) => line.trim()), [`✔ Container ${PROJECT}-${name}-1  Started`], screen);
    }
    assert.match(screen, new RegExp(`^ ✔ Network ${PROJECT}_default  Created$`, 'm'));
  });

  it('down shows the same view for removal', async () => {
    const screen = await composeOnTerminal('down', '-t', '0');
    assert.deepEqual(screen.match(/^\[\+\] Running \d+\/\d+$/gm), ['[+] Running 4/4'], screen);
    assert.match(screen, new RegExp(`^ ✔ Container ${PROJECT}-alpha-1  Removed$`, 'm'));
    assert.match(screen, new RegExp(`^ ✔ Network ${PROJECT}_default  Removed$`, 'm'));
  });
});
