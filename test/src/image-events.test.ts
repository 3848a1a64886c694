// SPDX-License-Identifier: Apache-2.0
// Image events in `docker events`, end to end with the real docker CLI against a real daemon and a fixture
// registry: pull, tag, push, save, rmi (untag and delete), import, load, prune, commit and the classic build each
// publish the events Docker's classic image store publishes, with its actor, `name` and the image's labels, and the
// `type`, `image`, `event` and `label` filters select them as Docker's do.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerCli, type DockerCli } from './support/docker-cli.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { expectSuccess, runProcess } from './support/run-process.js';

interface EventLine {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
}

const LABEL = { 'com.example.team': 'events' };

describe('image events in docker events', { timeout: 180_000 }, () => {
  let setup: EngineWithImages;
  let docker: DockerCli;
  let since: string;
  let until: string;

  /** The events `docker events` replays between `since` and `until` (as `docker events` takes them), narrowed by `filters`. */
  const replay = async (window: { since: string; until: string }, ...filters: string[]): Promise<EventLine[]> => {
    const out = await docker.ok(['events', '--since', window.since, '--until', window.until, ...filters.flatMap((f) => ['--filter', f]), '--format', '{{json .}}']);
    return out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as EventLine);
  };
  const imageEvents = (...filters: string[]) => replay({ since, until }, 'type=image', ...filters);
  const now = (offset = 0) => (Date.now() / 1000 + offset).toFixed(3);
  const actions = async (...filters: string[]) => (await imageEvents(...filters)).map((event) => event.Action);

  before(async () => {
    setup = await startEngineWithImages({ pull: false });
    docker = dockerCli(setup.engine, setup.dir);
  });

  after(async () => {
    await setup?.stop();
  });

  it('pull, tag, push, save, rmi, import, load and prune publish Docker’s image events, in order', async () => {
    const { busybox, registry, dir } = setup;
    const pushed = `${registry.host}/events/pushed`;
    const archive = join(dir, 'saved.tar');
    const rootfs = join(dir, 'rootfs');
    const layer = join(dir, 'rootfs.tar');
    await mkdir(rootfs);
    await writeFile(join(rootfs, 'hello'), 'hello\n');
    expectSuccess('tar rootfs', await runProcess('tar', ['-cf', layer, '-C', rootfs, '.']));

    since = now();
    await docker.ok(['pull', busybox]);
    const id = (await docker.ok(['image', 'inspect', '--format', '{{.Id}}', busybox])).trim();
    await docker.ok(['tag', busybox, 'events-test:v1']);
    await docker.ok(['tag', busybox, `${pushed}:1`]);
    await docker.ok(['push', `${pushed}:1`]);
    await docker.ok(['save', '-o', archive, 'events-test:v1']);
    await docker.ok(['rmi', 'events-test:v1']);
    const labeled = (await docker.ok(['import', '--change', 'LABEL com.example.team=events', layer, 'labeled:1'])).trim();
    await docker.ok(['rmi', 'labeled:1']);
    await docker.ok(['load', '-i', archive]);
    const dangling = (await docker.ok(['import', layer])).trim();
    const pruned = await docker.ok(['image', 'prune', '--force']);
    assert.match(pruned, new RegExp(`deleted: ${dangling}`));
    until = now(0.5);

    const events = await imageEvents();
    assert.ok(events.every((event) => event.Type === 'image'));
    assert.deepEqual(
      events.map((event) => [event.Action, event.Actor.ID, event.Actor.Attributes]),
      [
        ['pull', `${busybox}:latest`, { name: busybox }],
        ['tag', id, { name: 'events-test:v1' }],
        ['tag', id, { name: `${pushed}:1` }],
        ['push', `${pushed}:1`, { name: pushed }],
        ['save', id, { name: id }],
        ['untag', id, { name: id }],
        ['tag', labeled, { ...LABEL, name: 'labeled:1' }],
        ['import', labeled, { ...LABEL, name: labeled }],
        ['untag', labeled, { ...LABEL, name: labeled }],
        // Deleted: no labels left to read, as with Docker.
        ['delete', labeled, { name: labeled }],
        ['load', id, { name: id }],
        ['import', dangling, { name: dangling }],
        ['delete', dangling, { name: dangling }],
        ['prune', '', { reclaimed: events.at(-1)?.Actor.Attributes.reclaimed ?? '' }],
      ],
    );
    assert.match(events.at(-1)?.Actor.Attributes.reclaimed ?? '', /^[1-9]\d*$/);
  });

  it('filters image events by image (with or without tag), action and label', async () => {
    const { busybox, registry } = setup;
    const pushed = `${registry.host}/events/pushed`;
    // A repository matches its tagged names; a tagged reference only itself.
    assert.deepEqual(await actions('image=events-test'), ['tag']);
    assert.deepEqual(await actions(`image=${pushed}:1`), ['tag', 'push']);
    assert.deepEqual(await actions(`image=${busybox}`), ['pull']);
    assert.deepEqual(await actions('event=untag'), ['untag', 'untag']);
    assert.deepEqual(await actions('event=tag', 'event=push'), ['tag', 'tag', 'push', 'tag']);
    assert.deepEqual(await actions('label=com.example.team=events'), ['tag', 'import', 'untag']);
    // Image events are not container events.
    assert.deepEqual(await docker.ok(['events', '--since', since, '--until', until, '--filter', 'type=container']), '');
  });

  it('commit -t tags the image before the container’s commit event; build -t tags it once per name', async () => {
    const { busybox, dir } = setup;
    const context = join(dir, 'build-context');
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), `FROM ${busybox}\nRUN echo built > /built\nLABEL com.example.team=events\n`);
    await docker.ok(['create', '--name', 'to-commit', '--label', 'com.example.team=events', busybox, 'true']);
    const container = (await docker.ok(['inspect', '--format', '{{.Id}}', 'to-commit'])).trim();

    const window = { since: now(), until: '' };
    const committed = (await docker.ok(['commit', '-m', 'a note', 'to-commit', 'committed:v1'])).trim();
    const unnamed = (await docker.ok(['commit', 'to-commit'])).trim();
    const build = await docker.ok(['build', '-t', 'built-events:1', '-t', 'built-events', '-t', 'built-events:latest', context], { env: { DOCKER_BUILDKIT: '0' } });
    const built = (await docker.ok(['image', 'inspect', '--format', '{{.Id}}', 'built-events:1'])).trim();
    window.until = now(0.5);

    // Docker's daemon: TagImage's `tag`, then the container's `commit` with the container's labels, image and name;
    // an unnamed commit has an empty imageRef and no `tag`.
    const committedBy = (imageID: string, imageRef: string, comment: string) => ({
      ...LABEL,
      image: busybox,
      name: 'to-commit',
      comment,
      imageID,
      imageRef,
    });
    const commits = await replay(window, 'event=commit', 'event=tag');
    assert.deepEqual(
      commits.map((event) => [event.Type, event.Action, event.Actor.ID, event.Actor.Attributes]),
      [
        ['image', 'tag', committed, { ...LABEL, name: 'committed:v1' }],
        ['container', 'commit', container, committedBy(committed, 'committed:v1', 'a note')],
        ['container', 'commit', container, committedBy(unnamed, '', '')],
        // The build's: each name once, however spelled; its steps' commits publish no `commit` (moby's CommitBuildStep).
        ['image', 'tag', built, { ...LABEL, name: 'built-events:1' }],
        ['image', 'tag', built, { ...LABEL, name: 'built-events:latest' }],
      ],
    );
    assert.equal(build.match(/^Successfully tagged built-events:latest$/gm)?.length, 1, build);
  });
});
