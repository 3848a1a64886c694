// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerCli, type DockerCli } from './support/docker-cli.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { expectSuccess, runProcess } from './support/run-process.js';
import { waitFor } from './support/wait-for.js';

/** `diff`, `commit` and the classic `build`, through tsc-engine's CLI and the real docker CLI, with runc. */
describe('image creation from containers', { timeout: 120_000 }, () => {
  let env: EngineWithImages;
  let docker: DockerCli;

  before(async () => {
    env = await startEngineWithImages();
    docker = dockerCli(env.engine, env.dir);
  });
  after(async () => {
    await env?.stop();
  });

  const lines = (text: string) => text.split('\n').filter(Boolean);
  /** The docker CLI's classic builder, which the engine serves (it has no BuildKit). */
  const classicBuilder = { env: { DOCKER_BUILDKIT: '0' } };

  it('diff lists added, changed and deleted paths; commit makes an image that has them', async () => {
    const { engine, busybox } = env;
    await engine.cliOk(['run', '--name', 'base', busybox, 'sh', '-c', 'mkdir -p /keep/sub && echo old > /keep/old.txt && echo s > /keep/sub/s.txt']);
    const baseDiff = lines(await engine.cliOk(['diff', 'base']));
    for (const line of ['A /keep', 'A /keep/old.txt', 'A /keep/sub', 'A /keep/sub/s.txt']) assert.ok(baseDiff.includes(line), `${line} in ${baseDiff.join(', ')}`);
    const stage1 = (await engine.cliOk(['commit', '-m', 'first', 'base', 'stage1'])).trim();
    assert.match(stage1, /^sha256:[0-9a-f]{64}$/);

    // A deleted lower file becomes a whiteout; a lower directory removed and made again an opaque directory.
    await engine.cliOk(['run', '--name', 'second', 'stage1', 'sh', '-c', 'rm /keep/old.txt && echo new > /keep/new.txt && rm -rf /keep/sub && mkdir /keep/sub && echo t > /keep/sub/t.txt']);
    const diff = lines(await engine.cliOk(['diff', 'second']));
    for (const line of ['C /keep', 'D /keep/old.txt', 'A /keep/new.txt', 'C /keep/sub', 'A /keep/sub/t.txt']) assert.ok(diff.includes(line), `${line} in ${diff.join(', ')}`);
    assert.ok(diff.indexOf('C /keep') < diff.indexOf('A /keep/new.txt'), 'parents come before their children');
    assert.deepEqual(lines(await docker.ok(['diff', 'second'])), diff, 'the docker CLI shows the same changes');

    await engine.cliOk(['commit', '--change', 'CMD ["cat", "/keep/new.txt"]', '--change', 'ENV STAGE=2', 'second', 'stage2:v1']);
    assert.equal(await engine.cliOk(['run', '--rm', 'stage2:v1']), 'new\n', 'the new CMD runs');
    const listing = await engine.cliOk(['run', '--rm', 'stage2:v1', 'sh', '-c', 'ls /keep; echo --; ls /keep/sub; echo $STAGE']);
    assert.equal(listing, 'new.txt\nsub\n--\nt.txt\n2\n', 'the deleted file and the hidden directory contents are gone');
    const history = JSON.parse(await engine.cliOk(['image', 'inspect', 'stage2:v1'])) as Array<{ RootFS: { Layers: string[] } }>;
    const baseLayers = JSON.parse(await engine.cliOk(['image', 'inspect', busybox])) as Array<{ RootFS: { Layers: string[] } }>;
    assert.equal(history[0].RootFS.Layers.length, baseLayers[0].RootFS.Layers.length + 2, 'one layer per commit');

    // The docker CLI's commit, of a running container (paused while its layer is read).
    await docker.ok(['run', '-d', '--name', 'running', busybox, 'sh', '-c', 'echo live > /live.txt; sleep 60']);
    await waitFor(async () => lines(await docker.ok(['diff', 'running'])).includes('A /live.txt'));
    const committed = (await docker.ok(['commit', '-c', 'CMD ["cat", "/live.txt"]', 'running', 'fromdocker:1'])).trim();
    assert.match(committed, /^sha256:/);
    assert.equal((await docker.ok(['inspect', '-f', '{{.State.Status}}', 'running'])).trim(), 'running', 'unpaused after the commit');
    assert.equal(await docker.ok(['run', '--rm', 'fromdocker:1']), 'live\n');
    await docker.ok(['rm', '-f', 'running']);
  });

  it('tsc-engine build runs FROM, ARG, RUN, COPY, ADD, ENV, WORKDIR, CMD and honours .dockerignore', async () => {
    const { engine, busybox, dir } = env;
    const context = join(dir, 'app');
    await mkdir(join(context, 'dir', 'nested'), { recursive: true });
    await writeFile(join(context, 'greet.txt'), 'from the context\n');
    await writeFile(join(context, 'dir', 'keep.txt'), 'keep\n');
    await writeFile(join(context, 'dir', 'drop.txt'), 'drop\n');
    await writeFile(join(context, 'dir', 'nested', 'deep.txt'), 'deep\n');
    await writeFile(join(context, 'secret.txt'), 'secret\n');
    await writeFile(join(context, '.dockerignore'), '# not sent\nsecret.txt\n');
    await mkdir(join(dir, 'payload'));
    await writeFile(join(dir, 'payload', 'unpacked.txt'), 'unpacked\n');
    expectSuccess('tar payload', await runProcess('tar', ['-czf', join(context, 'payload.tar.gz'), '-C', join(dir, 'payload'), 'unpacked.txt']));
    await writeFile(
      join(context, 'Dockerfile'),
      [
        '# a comment before the first instruction',
        'ARG BASE',
        'FROM ${BASE}',
        'ENV GREETING=hello \\',
        '    TARGET="the world"',
        'WORKDIR /app',
        'COPY greet.txt ./',
        'COPY dir/ /app/dir/',
        'ADD payload.tar.gz /opt/',
        'COPY . /ctx/',
        'ARG SUFFIX=default',
        '# comments may sit between instructions',
        'RUN echo "$GREETING, $TARGET$SUFFIX" > out.txt && rm /app/dir/drop.txt',
        'EXPOSE 8080/udp',
        'LABEL stage=test',
        'CMD ["sh", "-c", "cat out.txt greet.txt; ls dir; ls dir/nested; ls /opt; ls /ctx; pwd; echo $SUFFIX"]',
        '',
      ].join('\n'),
    );
    const build = await engine.cli(['build', '-t', 'built:1', '--build-arg', `BASE=${busybox}`, '--build-arg', 'SUFFIX=!', context]);
    assert.equal(build.code, 0, build.stderr + build.stdout);
    assert.match(build.stdout, /^Step 1\/13 : ARG BASE$/m);
    assert.match(build.stdout, /^Step 3\/13 : ENV GREETING=hello/m);
    assert.match(build.stdout, /^Successfully built [0-9a-f]{12}$/m);
    assert.match(build.stdout, /^Successfully tagged built:1$/m);
    const output = await engine.cliOk(['run', '--rm', 'built:1']);
    assert.equal(
      output,
      [
        'hello, the world!',
        'from the context',
        'keep.txt', 'nested',
        'deep.txt',
        'unpacked.txt',
        'Dockerfile', 'dir', 'greet.txt', 'payload.tar.gz',
        '/app',
        '',
        '',
      ].join('\n'),
      'ARG values are not kept in the image; .dockerignore kept secret.txt out',
    );
    const [inspect] = JSON.parse(await engine.cliOk(['image', 'inspect', 'built:1'])) as Array<{ Config: { Env: string[]; WorkingDir: string; ExposedPorts: object; Labels: object } }>;
    assert.ok(inspect.Config.Env.includes('TARGET=the world'));
    assert.equal(inspect.Config.WorkingDir, '/app');
    assert.deepEqual(inspect.Config.ExposedPorts, { '8080/udp': {} });
    assert.deepEqual(inspect.Config.Labels, { stage: 'test' });
    const images = await engine.cliOk(['images', '-a', '--format', '{{.Repository}}']);
    assert.ok(!images.includes('<none>'), `no intermediate images are left: ${images}`);
  });

  it('the docker CLI builds with the classic builder (DOCKER_BUILDKIT=0)', async () => {
    const { busybox, dir } = env;
    const context = join(dir, 'docker-context');
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), `FROM ${busybox}\nRUN echo built > /b.txt\nCMD cat /b.txt\n`);
    const build = await docker(['build', '-t', 'dockerbuilt', context], classicBuilder);
    assert.equal(build.code, 0, build.stderr + build.stdout);
    assert.match(build.stdout, /Step 2\/3 : RUN echo built > \/b.txt/);
    assert.match(build.stdout, /Successfully tagged dockerbuilt:latest/);
    const steps = [...build.stdout.matchAll(/^ ---> ([0-9a-f]{12})$/gm)].map((match) => match[1]);
    assert.match(build.stdout, new RegExp(`^Successfully built ${steps[steps.length - 1]}$`, 'm'), 'the last step made the image');
    assert.equal(await docker.ok(['run', '--rm', 'dockerbuilt']), 'built\n');
    const quiet = await docker(['build', '-q', context], classicBuilder);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.match(quiet.stdout.trim(), /^sha256:[0-9a-f]{64}$/, 'quiet prints only the id');
  });

  it('a build fails with the line of a bad instruction, and with the failing command', async () => {
    const { engine, busybox, dir } = env;
    const context = join(dir, 'bad');
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), `FROM ${busybox}\nRUN true\n\nFOO bar\n`);
    const bad = await engine.cli(['build', context]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /line 4: unknown instruction: FOO/);
    assert.doesNotMatch(bad.stdout, /Step 1/, 'nothing ran');

    await writeFile(join(context, 'Dockerfile'), `FROM ${busybox}\nRUN exit 3\n`);
    const failing = await engine.cli(['build', '--force-rm', context]);
    assert.notEqual(failing.code, 0);
    assert.match(failing.stderr, /The command '\/bin\/sh -c exit 3' returned a non-zero code: 3/);

    await writeFile(join(context, 'Dockerfile'), `FROM ${busybox}\nADD http://127.0.0.1:1/x /x\n`);
    const remote = await engine.cli(['build', context]);
    assert.notEqual(remote.code, 0);
    assert.match(remote.stderr, /remote sources are not supported/);
  });
});
