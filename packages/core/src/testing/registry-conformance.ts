// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { errorCodeOf } from '../errors/engine-error.js';
import type { ImageReference } from '../registry/image-reference.js';
import type { Registry, RegistryAuth } from '../registry/registry.js';
import { startConformanceRegistry, type ConformanceRegistry } from './conformance-registry.js';

export interface RegistryConformanceOptions {
  /** Builds the plugin under test so that it reaches `target` for references whose domain is `target.host`. */
  create(target: ConformanceRegistry): Registry | Promise<Registry>;
  /** The registry to pull from; by default an in-process one ({@link startConformanceRegistry}). */
  registry?: () => Promise<ConformanceRegistry>;
}

/**
 * The behaviour every `tsc-engine.registry.v1` plugin must have, against a live registry holding the
 * {@link ConformanceRegistry} layout: it serves the registry's host, pulls a manifest and its blobs (by tag and by
 * digest), authenticates (anonymous refused, wrong password refused, `login`), reports unknown repositories, tags
 * and blobs as not found, and refuses bytes that do not match their digest. Call it at the top level of a test:
 *
 * ```ts
 * registryConformance('hub', { create: () => new HubRegistry(hubRegistryConfig({})) });
 * ```
 */
export function registryConformance(name: string, options: RegistryConformanceOptions): void {
  describe(`registry conformance: ${name}`, () => {
    let target: ConformanceRegistry;
    let registry: Registry;
    const ref = (repository: string, tag = 'latest'): ImageReference => ({ domain: target.host, path: repository, tag });
    const auth = (password = target.credentials.password): RegistryAuth => ({ username: target.credentials.username, password });

    before(async () => {
      target = await (options.registry ?? startConformanceRegistry)();
      registry = await options.create(target);
      await registry.probe();
    });
    after(() => target?.close());

    it("serves the registry's host", () => {
      assert.ok(registry.matches(target.host) > 0);
    });

    it('pulls a manifest by tag and by digest, and its blobs', async () => {
      const remote = await registry.remote(ref('conformance/hello'), {});
      const byTag = await remote.getManifest('latest');
      assert.equal(byTag.digest, target.image.manifestDigest);
      assert.ok(byTag.bytes.equals(target.image.manifest));
      assert.equal(byTag.mediaType, 'application/vnd.oci.image.manifest.v1+json');
      assert.ok((await remote.getManifest(target.image.manifestDigest)).bytes.equals(target.image.manifest));
      for (const descriptor of [target.image.config, target.image.layer]) {
        assert.equal(await remote.hasBlob(descriptor), true);
        assert.ok((await readAll(await remote.getBlob(descriptor))).equals(target.image.blobs.get(descriptor.digest)!));
      }
    });

    it('authenticates: refuses anonymous and wrong credentials, pulls and logs in with the right ones', async () => {
      const anonymous = await registry.remote(ref('private/hello'), {});
      await assert.rejects(anonymous.getManifest('latest'), (e) => errorCodeOf(e) === 'unauthorized');
      const wrong = await registry.remote(ref('private/hello'), { auth: auth('wrong') });
      await assert.rejects(wrong.getManifest('latest'), (e) => errorCodeOf(e) === 'unauthorized');
      const remote = await registry.remote(ref('private/hello'), { auth: auth() });
      assert.equal((await remote.getManifest('latest')).digest, target.image.manifestDigest);
      assert.ok((await readAll(await remote.getBlob(target.image.layer))).equals(target.image.blobs.get(target.image.layer.digest)!));
      assert.match((await registry.login(target.host, auth())).status, /succeeded/i);
    });

    it('reports unknown repositories, tags and blobs as not found', async () => {
      const absent = await registry.remote(ref('conformance/absent'), {});
      await assert.rejects(absent.getManifest('latest'), (e) => errorCodeOf(e) === 'not-found');
      const remote = await registry.remote(ref('conformance/hello'), {});
      await assert.rejects(remote.getManifest('no-such-tag'), (e) => errorCodeOf(e) === 'not-found');
      const unknownBlob = { ...target.image.layer, digest: `sha256:${'0'.repeat(64)}` };
      assert.equal(await remote.hasBlob(unknownBlob), false);
      await assert.rejects(remote.getBlob(unknownBlob).then(readAll), (e) => errorCodeOf(e) === 'not-found');
    });

    it('refuses content that does not match its digest', async () => {
      const remote = await registry.remote(ref('corrupt/hello'), {});
      await assert.rejects(remote.getManifest(target.image.manifestDigest), /digest/i);
      await assert.rejects(remote.getBlob(target.image.layer).then(readAll), /digest/i);
    });
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
