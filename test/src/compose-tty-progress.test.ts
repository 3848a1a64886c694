// SPDX-License-Identifier: Apache-2.0
// compose's live progress view on a real terminal (tmux): one line per object redrawn in place under one header,
// rather than a line per state change as on a pipe.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { TmuxTerminals } from './support/tmux-terminal.js';

const PROJECT = 'livetty';

describe('compose progress on a terminal', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let file: string;
  const terminals = new TmuxTerminals();

  const composeOnTerminal = async (...args: string[]): Promise<string> => {
    const term = await engine.terminal(terminals, ['compose', '-f', file, '-p', PROJECT, ...args]);
    try {
      const screen = await term.waitFor(/\[exit \d+\]/, 60_000);
      assert.match(screen, /\[exit 0\]/);
      return screen;
    } finally {
      await term.close();
    }
  };

  before(async () => {
    // `up` pulls the image itself: it is one of the objects its view counts.
    setup = await startEngineWithImages({ packages: ['containernetworking-plugins', 'iptables', 'tmux'], pull: false });
    engine = setup.engine;
    file = join(setup.dir, 'compose.yaml');
    const service = (name: string) => `  ${name}:\n    image: ${setup.busybox}\n    command: ["sleep", "300"]\n    stop_grace_period: 1s\n`;
    await writeFile(file, `services:\n${['alpha', 'beta', 'gamma'].map(service).join('')}`);
  });

  after(async () => {
    await terminals.stop();
    await engine?.cli(['compose', '-f', file, '-p', PROJECT, 'down', '-t', '0']);
    await setup?.stop();
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
