// SPDX-License-Identifier: Apache-2.0
// `compose build` and the builds of `compose up` end to end: services with `build:` (short and long form) built by
// the daemon's Dockerfile builder from the busybox fixture, tagged as docker compose v2 tags them, run, rebuilt.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

const PROJECT = 'bld';

const COMPOSE_FILE = `
services:
  app:
    build: ./app
    stop_grace_period: 1s
  tool:
    image: bld-tool:custom
    build:
      context: ./app
      dockerfile: tool.Dockerfile
      args:
        WHO: compose
      labels:
        made.by: compose
      no_cache: true
    command: ["sh", "-c", "echo tool for $$WHO; exec sleep 300"]
    stop_grace_period: 1s
`;

describe('compose build', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let dir: string;
  const composeArgs = (...args: string[]) => ['compose', '-p', PROJECT, '--project-directory', dir, ...args];
  const compose = (...args: string[]) => engine.cli(composeArgs(...args));
  const composeOk = (...args: string[]) => engine.cliOk(composeArgs(...args));
  const imageId = async (name: string) => (await engine.cliOk(['image', 'inspect', '--format', '{{.Id}}', name])).trim();
  const logsOf = async (container: string, expected: string) => {
    let logs = '';
    for (let attempt = 0; attempt < 50 && !logs.includes(expected); attempt++) {
      if (attempt > 0) await delay(100);
      logs = await engine.cliOk(['logs', container]);
    }
    return logs;
  };

  before(async () => {
    setup = await startEngineWithImages();
    ({ engine, dir } = setup);
    await mkdir(join(dir, 'app'));
    await writeFile(join(dir, 'compose.yaml'), COMPOSE_FILE);
    await writeFile(join(dir, 'app', 'Dockerfile'), `ARG BASE=${setup.busybox}\nFROM $BASE\nCOPY greet.sh /greet.sh\nCMD ["sh", "/greet.sh"]\n`);
    await writeFile(join(dir, 'app', 'greet.sh'), 'echo hello-v1\nexec sleep 300\n');
    await writeFile(join(dir, 'app', 'tool.Dockerfile'), `FROM ${setup.busybox}\nARG WHO\nENV WHO=$WHO\n`);
  });

  after(async () => {
    await compose('down', '-t', '1');
    await setup?.stop();
  });

  it('up builds the missing images, tags them <project>-<service> or image:, and runs them', { timeout: 60_000 }, async () => {
    await composeOk('up', '-d');
    assert.match(await logsOf(`${PROJECT}-app-1`, 'hello-v1'), /hello-v1/);
    assert.match(await logsOf(`${PROJECT}-tool-1`, 'tool for compose'), /tool for compose/);
    const inspect = JSON.parse(await engine.cliOk(['image', 'inspect', 'bld-tool:custom'])) as Array<{ Config: { Labels: Record<string, string> } }>;
    assert.equal(inspect[0].Config.Labels['made.by'], 'compose');
    const container = JSON.parse(await engine.cliOk(['inspect', `${PROJECT}-app-1`])) as Array<{ Config: { Image: string; Labels: Record<string, string> } }>;
    assert.equal(container[0].Config.Image, `${PROJECT}-app`);
    assert.equal(container[0].Config.Labels['com.docker.compose.image'], `${PROJECT}-app`);
  });

  it('build rebuilds the selected service, and up then recreates its container with the new image', { timeout: 60_000 }, async () => {
    const before = await imageId(`${PROJECT}-app`);
    const toolBefore = await imageId('bld-tool:custom');
    await writeFile(join(dir, 'app', 'greet.sh'), 'echo hello-v2\nexec sleep 300\n');
    await composeOk('build', 'app');
    assert.notEqual(await imageId(`${PROJECT}-app`), before, 'app was rebuilt');
    assert.equal(await imageId('bld-tool:custom'), toolBefore, 'tool was not asked for');
    await composeOk('up', '-d');
    assert.match(await logsOf(`${PROJECT}-app-1`, 'hello-v2'), /hello-v2/);
  });

  it('refuses build.target, saying why', { timeout: 30_000 }, async () => {
    await writeFile(join(dir, 'target.yaml'), 'services:\n  staged:\n    build:\n      context: ./app\n      target: final\n');
    const result = await engine.cli(['compose', '-p', PROJECT, '-f', join(dir, 'target.yaml'), 'build']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /build\.target is not supported: the builder builds a single stage/);
  });
});
