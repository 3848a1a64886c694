// SPDX-License-Identifier: Apache-2.0
// The warnings the daemon answers a container create with (Docker's `Warnings`: limits it cannot apply) reach the
// user of `compose create`/`up`/`run` as a line per warning naming the container, in each progress mode.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { TmuxTerminals } from './support/tmux-terminal.js';

const PROJECT = 'warned';
const CONTAINER = `${PROJECT}-web-1`;
// oom_kill_disable without a memory limit warns on every host: one warning where the kernel can disable the OOM
// killer (no limit to protect the host), another where it cannot (the setting is discarded).
const WARNING = /OOM killer is disabled for the container, but no memory limit is set|Your kernel does not support OomKillDisable/;

describe('compose create warnings', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let file: string;
  const terminals = new TmuxTerminals();

  const compose = async (...args: string[]) => {
    const result = await engine.cli(['compose', '-f', file, '-p', PROJECT, ...args]);
    assert.equal(result.code, 0, `compose ${args.join(' ')}: ${result.stderr}`);
    return result;
  };

  before(async () => {
    setup = await startEngineWithImages({ packages: ['tmux'] });
    engine = setup.engine;
    file = join(setup.dir, 'compose.yaml');
    await writeFile(
      file,
      `services:\n  web:\n    image: ${setup.busybox}\n    command: ["sleep", "300"]\n    network_mode: none\n    oom_kill_disable: true\n    stop_grace_period: 1s\n`,
    );
  });

  after(async () => {
    await terminals.stop();
    await engine?.cli(['compose', '-f', file, '-p', PROJECT, 'down', '-t', '0']);
    await setup?.stop();
  });

  it('create prints each warning as a plain progress line naming the container', async () => {
    const { stderr } = await compose('create', '--progress', 'plain');
    const lines = stderr.split('\n').filter((line) => line.includes(`Container ${CONTAINER} `));
    assert.equal(lines[0], ` Container ${CONTAINER}  Creating`, stderr);
    assert.match(lines[1], new RegExp(`^ Container ${CONTAINER}  Warning \\((${WARNING.source})[^)]*\\)$`), stderr);
    assert.equal(lines.at(-1), ` Container ${CONTAINER}  Created`, stderr);
  });

  it('up --progress json reports each warning as a warning event of the container', async () => {
    const { stderr } = await compose('up', '-d', '--force-recreate', '--progress', 'json');
    const events = stderr.trim().split('\n').map((line) => JSON.parse(line) as { id: string; status: string; state: string; detail?: string });
    const warnings = events.filter((e) => e.state === 'warning');
    assert.equal(warnings.length, 1, stderr);
    assert.equal(warnings[0].id, `Container ${CONTAINER}`);
    assert.equal(warnings[0].status, 'Warning');
    assert.match(warnings[0].detail ?? '', WARNING);
  });

  it('run prints each warning as a line on stderr, before the container’s output', async () => {
    const { stdout, stderr } = await compose('run', '--rm', '--name', 'warned-once', 'web', 'sh', '-c', 'echo ran; echo ran >&2');
    assert.equal(stdout, 'ran\n');
    const lines = stderr.split('\n').filter(Boolean);
    assert.match(lines[0], new RegExp(`^ Container warned-once  Warning \\((${WARNING.source})[^)]*\\)$`), stderr);
    assert.equal(lines.at(-1), 'ran', stderr);
  });

  it('the live view on a terminal keeps the warning on a line of its own, wrapped and redrawn in place', async () => {
    const term = await engine.terminal(terminals, ['compose', '-f', file, '-p', PROJECT, 'up', '-d', '--force-recreate']);
    try {
      const screen = await term.waitFor(/\[exit \d+\]/, 60_000);
      assert.match(screen, /\[exit 0\]/);
      // The warning is wider than the 100-column terminal: a redraw that miscounted its rows would repeat the header.
      assert.equal(screen.match(/^\[\+\] Running \d+\/\d+$/gm)?.length, 1, screen);
      assert.match(screen, new RegExp(`^ ✔ Container ${CONTAINER}  Started$`, 'm'));
      assert.match(screen, new RegExp(`^ ! Container ${CONTAINER}  Warning \\((${WARNING.source})`, 'm'));
    } finally {
      await term.close();
    }
  });
});
