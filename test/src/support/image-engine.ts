// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressMessage } from '../../../packages/core/lib/api/progress-message.js';
import { FileContentStore } from '../../../packages/core/lib/content/file-content-store.js';
import { FileImageStore } from '../../../packages/core/lib/image/file-image-store.js';
import { ImagePuller } from '../../../packages/core/lib/image/image-puller.js';
import { ImagePusher } from '../../../packages/core/lib/image/image-pusher.js';
import { ImageRemover } from '../../../packages/core/lib/image/image-remover.js';
import { ImageTagger } from '../../../packages/core/lib/image/image-tagger.js';
import type { ImageUsage } from '../../../packages/core/lib/image/image-usage.js';
import { RegistryResolver } from '../../../packages/core/lib/registry/registry-resolver.js';
import { OverlaySnapshotter } from '../../../packages/core/lib/snapshot/overlay-snapshotter.js';
import { HubRegistry, hubRegistryConfig } from '../../../packages/registry-hub/lib/index.js';

/** The image side of the engine, wired as the daemon wires it, in a temporary data root (remove `root` after). */
export interface ImageEngine {
  root: string;
  content: FileContentStore;
  images: FileImageStore;
  snapshotter: OverlaySnapshotter;
  puller: ImagePuller;
  remover: ImageRemover;
  pusher: ImagePusher;
  tagger: ImageTagger;
  usage: { users: Map<string, { containerId: string; running: boolean }[]> };
}

export async function makeImageEngine(): Promise<ImageEngine> {
  const root = await mkdtemp(join(tmpdir(), 'tsc-engine-image-'));
  const content = new FileContentStore(join(root, 'content'));
  const images = new FileImageStore(join(root, 'image'), content);
  const snapshotter = new OverlaySnapshotter(join(root, 'overlay'));
  const resolver = new RegistryResolver();
  resolver.register(new HubRegistry(hubRegistryConfig({}, { registryMirrors: [], insecureRegistries: [] })));
  const users = new Map<string, { containerId: string; running: boolean }[]>();
  const usage: ImageUsage = { usersOf: async (id) => users.get(id) ?? [] };
  return {
    root, content, images, snapshotter,
    puller: new ImagePuller(resolver, content, snapshotter, images),
    remover: new ImageRemover(images, content, snapshotter, usage),
    pusher: new ImagePusher(resolver, content, images),
    tagger: new ImageTagger(images),
    usage: { users },
  };
}

/** Pulls and collects the progress messages. */
export async function pullImage(engine: ImageEngine, reference: string, platform?: string) {
  const messages: ProgressMessage[] = [];
  const image = await engine.puller.pull(reference, { platform }, (m) => messages.push(m));
  return { image, messages, statuses: messages.map((m) => m.status ?? '') };
}

/** Nothing half-written: no ingest files, no layers being unpacked. */
export async function assertNothingPartial(engine: ImageEngine): Promise<void> {
  const list = (dir: string) => readdir(dir).catch(() => [] as string[]);
  assert.deepEqual(await list(join(engine.root, 'content', 'ingest')), []);
  assert.deepEqual((await list(join(engine.root, 'overlay', 'layers'))).filter((n) => n.startsWith('.')), []);
}
