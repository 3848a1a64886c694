// SPDX-License-Identifier: Apache-2.0
// `save`, `load`, `image prune`, `images --digests/--filter` and `system df` through the real CLI and daemon: an image
// pulled from a real registry is saved, removed, loaded back and run; an archive written by skopeo (a third-party
// tool) loads too; broken archives are refused with nothing left behind.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar-stream';
import { buildFixtures, type FixtureRegistry } from './support/fixture-registry.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

const run = promisify(execFile);

/** Every regular file of a tar, by name. */
async function readTar(path: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  const reading = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type === 'file') files.set(entry.header.name, Buffer.concat(chunks));
    }
  })();
  await Promise.all([pipeline(createReadStream(path), extract), reading]);
  return files;
}

async function writeTar(path: string, files: Record<string, Buffer | string>): Promise<void> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name }, Buffer.from(content));
  pack.finalize();
  await pipeline(pack, createWriteStream(path));
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('save, load, image prune and system df', { timeout: 300_000 }, () => {
  let setup: EngineWithImages;
  let registry: FixtureRegistry;
  let engine: EngineDaemon;
  let dir: string;
  let fixtures: string;
  let busybox: string;

  before(async () => {
    // The first test pulls busybox itself, with `pull -q`.
    [setup, fixtures] = await Promise.all([startEngineWithImages({ pull: false }), buildFixtures()]);
    ({ registry, engine, dir, busybox } = setup);
  });
  after(() => setup?.stop());

  async function cli(args: string[]) {
    const result = await engine.cli(args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  it('saves in Docker 25 format, loads it back after rmi and runs it', async () => {
    await cli(['pull', '-q', busybox]);
    const id = (await cli(['images', '-q', '--no-trunc', busybox])).trim();
    const archive = join(dir, 'busybox.tar');
    await cli(['save', '-o', archive, busybox]);

    const files = await readTar(archive);
    assert.deepEqual(JSON.parse(files.get('oci-layout')!.toString()), { imageLayoutVersion: '1.0.0' });
    const [item] = JSON.parse(files.get('manifest.json')!.toString()) as { Config: string; RepoTags: string[]; Layers: string[] }[];
    assert.deepEqual(item.RepoTags, [`${busybox}:latest`]);
    const config = JSON.parse(files.get(item.Config)!.toString()) as { rootfs: { diff_ids: string[] } };
    assert.equal(sha256(files.get(item.Config)!), id);
    // Layers are the uncompressed tars, named by their diff ids.
    assert.deepEqual(item.Layers, config.rootfs.diff_ids.map((d) => `blobs/sha256/${d.slice(7)}`));
    for (const [i, layer] of item.Layers.entries()) assert.equal(sha256(files.get(layer)!), config.rootfs.diff_ids[i]);
    const index = JSON.parse(files.get('index.json')!.toString()) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    assert.equal(index.manifests[0].annotations['io.containerd.image.name'], `${busybox}:latest`);
    const manifest = JSON.parse(files.get(`blobs/sha256/${index.manifests[0].digest.slice(7)}`)!.toString()) as { config: { digest: string } };
    assert.equal(manifest.config.digest, id);
    assert.deepEqual(JSON.parse(files.get('repositories')!.toString()), { [busybox]: { latest: config.rootfs.diff_ids.at(-1)!.slice(7) } });

    // The single-image endpoint answers the same archive.
    const single = join(dir, 'single.tar');
    await new Promise<void>((resolve, reject) => {
      const req = request({ socketPath: engine.socketPath, path: `/v1.41/images/${busybox}/get` }, (res) => {
        assert.equal(res.headers['content-type'], 'application/x-tar');
        pipeline(res, createWriteStream(single)).then(resolve, reject);
      });
      req.on('error', reject);
      req.end();
    });
    assert.deepEqual([...(await readTar(single)).keys()].sort(), [...files.keys()].sort());

    await cli(['rmi', busybox]);
    assert.equal((await cli(['images', '-q'])).trim(), '');
    const loaded = await cli(['load', '-i', archive]);
    assert.match(loaded, new RegExp(`Loaded image: ${busybox}:latest`));
    assert.equal((await cli(['images', '-q', '--no-trunc', busybox])).trim(), id);
    assert.equal((await cli(['run', '--rm', busybox, 'echo', 'loaded'])).trim(), 'loaded');
    // Loading what is already there only names it again.
    assert.match(await cli(['load', '-q', '-i', archive]), new RegExp(`^Loaded image: ${busybox}:latest\n$`));
  });

  it('loads an archive written by skopeo, several layers with hardlinks across them', async () => {
    const archive = join(dir, 'skopeo.tar');
    await run('skopeo', ['copy', '--quiet', `oci:${join(fixtures, 'oci/multilayer')}:latest`, `docker-archive:${archive}:example.org/skopeo/multilayer:1`]);
    const loaded = await cli(['load', '-i', archive]);
    assert.match(loaded, /Loaded image: example\.org\/skopeo\/multilayer:1/);
    const listing = await cli(['run', '--rm', 'example.org/skopeo/multilayer:1', 'ls', '/']);
    assert.match(listing, /bin/);
    // Saved again and loaded into nothing lost: the same id.
    const id = (await cli(['images', '-q', '--no-trunc', 'example.org/skopeo/multilayer:1'])).trim();
    const again = join(dir, 'again.tar');
    await cli(['save', '-o', again, 'example.org/skopeo/multilayer']);
    await cli(['rmi', 'example.org/skopeo/multilayer:1']);
    await cli(['load', '-q', '-i', again]);
    assert.equal((await cli(['images', '-q', '--no-trunc', 'example.org/skopeo/multilayer:1'])).trim(), id);
  });

  it('refuses an archive whose layer does not match its diff id, and one that is no image archive', async () => {
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] } }));
    const layer = Buffer.alloc(1024);
    const bad = join(dir, 'bad.tar');
    await writeTar(bad, {
      'config.json': config,
      'layer/layer.tar': layer,
      'manifest.json': JSON.stringify([{ Config: 'config.json', RepoTags: ['bad:1'], Layers: ['layer/layer.tar'] }]),
    });
    const refused = await engine.cli(['load', '-i', bad]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /digest|diff id/);
    const notArchive = join(dir, 'empty.tar');
    await writeTar(notArchive, { 'hello.txt': 'hi' });
    const nothing = await engine.cli(['load', '-i', notArchive]);
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /neither manifest\.json nor index\.json/);
    assert.doesNotMatch(await cli(['images']), /bad/);
    assert.deepEqual(await readdir(join(engine.dataRoot, 'tmp')), []);
    const missing = await engine.cli(['save', '-o', join(dir, 'missing.tar'), 'no-such-image']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No such image/);
    assert.deepEqual((await readdir(dir)).filter((name) => name.startsWith('missing')), []);
  });

  it('lists digests and filters, prunes dangling then unused images, and reports disk usage', async () => {
    await cli(['pull', '-q', `${registry.host}/fixtures/multiarch`]);
    const digests = await cli(['images', '--digests', `${registry.host}/fixtures/multiarch`]);
    assert.match(digests.split('\n')[0], /^REPOSITORY\s+TAG\s+DIGEST\s+IMAGE ID/);
    assert.match(digests.split('\n')[1], /\s+latest\s+sha256:[0-9a-f]{64}\s+[0-9a-f]{12}/);

    // An image saved by id loads untagged: dangling.
    const id = (await cli(['images', '-q', '--no-trunc', `${registry.host}/fixtures/multiarch`])).trim();
    const byId = join(dir, 'by-id.tar');
    await cli(['save', '-o', byId, id]);
    await cli(['rmi', `${registry.host}/fixtures/multiarch`]);
    assert.match(await cli(['load', '-i', byId]), new RegExp(`Loaded image ID: ${id}`));
    assert.equal((await cli(['images', '-q', '--no-trunc', '--filter', 'dangling=true'])).trim(), id);
    assert.match(await cli(['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'reference=*/fixtures/busy*']), /fixtures\/busybox:latest/);
    assert.equal((await cli(['images', '-q', '--filter', 'reference=nothing*'])).trim(), '');

    const df = await cli(['system', 'df']);
    assert.match(df, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE\n/);
    assert.match(df, /\nImages\s+3\s+0\s+\S+\s+\S+ \(\d+%\)\n/);
    assert.match(await cli(['system', 'df', '-v']), /Images space usage:[\s\S]*UNIQUE SIZE[\s\S]*Local Volumes space usage:/);

    const pruned = await cli(['image', 'prune', '-f']);
    assert.match(pruned, new RegExp(`Deleted Images:\ndeleted: ${id}`));
    assert.match(pruned, /Total reclaimed space: [1-9][\d.]*[kM]?B/);
    assert.doesNotMatch(await cli(['images', '-q', '--no-trunc']), new RegExp(id));

    // A container keeps its image from `prune -a`; the rest goes.
    await cli(['create', '--name', 'keeper', busybox, 'true']);
    const all = await cli(['image', 'prune', '-a', '-f']);
    assert.match(all, /untagged: example\.org\/skopeo\/multilayer:1/);
    assert.deepEqual((await cli(['images', '--format', '{{.Repository}}'])).trim().split('\n'), [busybox]);
    const usage = await cli(['system', 'df']);
    assert.match(usage, /\nImages\s+1\s+1\s/);
    assert.match(usage, /\nContainers\s+1\s+0\s/);
  });
});
