// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContentStore } from '../content/content-store.js';
import { digestHex } from '../content/digest.js';
import { InvalidArgumentError, NotFoundError } from '../errors/engine-error.js';
import { formatReference, parseImageReference } from '../registry/image-reference-parser.js';
import type { ImageConfig } from './image-config.js';
import type { ImageRecord } from './image-record.js';
import type { ImageStore } from './image-store.js';

/** `repositories.json`: every name the engine knows, fully qualified, and the image id it points to. */
interface NameIndex {
  tags: Record<string, string>;
  digests: Record<string, string>;
}

/**
 * {@link ImageStore} as JSON files: `<root>/images/<hex>.json` per image and `<root>/repositories.json` for names,
 * each replaced atomically (temporary file, then rename). The name index is the authority for tags: a record's
 * `repoTags`/`repoDigests` are recomputed from it, so a crash between two writes cannot leave a tag on two
 * images. Everything is read once and kept in memory; changes are serialised.
 */
export class FileImageStore implements ImageStore {
  private readonly imagesDir: string;
  private readonly indexPath: string;
  private state?: Promise<{ images: Map<string, ImageRecord>; names: NameIndex }>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly root: string,
    private readonly content: ContentStore,
  ) {
    this.imagesDir = join(root, 'images');
    this.indexPath = join(root, 'repositories.json');
  }

  async resolve(nameOrId: string): Promise<ImageRecord> {
    const { images, names } = await this.load();
    const byId = (id: string | undefined) => (id === undefined ? undefined : images.get(id));
    const found =
      nameOrId.startsWith('sha256:')
        ? this.byIdPrefix(images, digestPrefix(nameOrId), nameOrId)
        : byId(this.lookupName(names, nameOrId)) ?? (/^[a-f0-9]+$/.test(nameOrId) ? this.byIdPrefix(images, nameOrId, nameOrId) : undefined);
    // Docker's wording, which clients show as is.
    if (!found) throw new NotFoundError(`No such image: ${nameOrId}`);
    return this.withNames(found, names);
  }

  async get(id: string): Promise<ImageRecord | undefined> {
    const { images, names } = await this.load();
    const image = images.get(id);
    return image && this.withNames(image, names);
  }

  async list(): Promise<ImageRecord[]> {
    const { images, names } = await this.load();
    return [...images.values()].map((image) => this.withNames(image, names));
  }

  async config(image: ImageRecord): Promise<ImageConfig> {
    return JSON.parse((await this.content.read(image.id)).toString('utf8')) as ImageConfig;
  }

  add(image: ImageRecord, repoTag?: string): Promise<void> {
    return this.mutate(async ({ images, names }) => {
      digestHex(image.id);
      images.set(image.id, { ...image });
      for (const tag of [...image.repoTags, ...(repoTag ? [repoTag] : [])]) names.tags[tag] = image.id;
      for (const digest of image.repoDigests) names.digests[digest] = image.id;
      await this.writeRecord(this.withNames(image, names));
      await this.writeIndex(names);
    });
  }

  untag(repoTag: string): Promise<ImageRecord | undefined> {
    return this.mutate(async ({ images, names }) => {
      const key = normaliseName(repoTag);
      const table = key.includes('@') ? names.digests : names.tags;
      const image = images.get(table[key] ?? '');
      if (!image) return undefined;
      delete table[key];
      await this.writeIndex(names);
      const updated = this.withNames(image, names);
      await this.writeRecord(updated);
      return updated;
    });
  }

  remove(id: string): Promise<void> {
    return this.mutate(async ({ images, names }) => {
      if (!images.delete(id)) return;
      for (const table of [names.tags, names.digests]) {
        for (const [name, target] of Object.entries(table)) if (target === id) delete table[name];
      }
      await this.writeIndex(names);
      await rm(this.recordPath(id), { force: true });
    });
  }

  private lookupName(names: NameIndex, name: string): string | undefined {
    let reference;
    try {
      reference = parseImageReference(name);
    } catch (error) {
      // A hex string is a short id, which may not be a valid name (64 hex digits never is).
      if (/^[a-f0-9]+$/.test(name)) return undefined;
      throw error;
    }
    if (reference.digest) return names.digests[formatReference({ ...reference, tag: undefined })];
    return names.tags[formatReference(reference)];
  }

  private byIdPrefix(images: Map<string, ImageRecord>, prefix: string, asked: string): ImageRecord | undefined {
    const matches = [...images.keys()].filter((id) => id.startsWith(`sha256:${prefix}`));
    if (matches.length > 1) {
      throw new InvalidArgumentError(`short image id "${asked}" is ambiguous: it matches ${matches.length} images`, {
        hint: 'use more characters of the id',
      });
    }
    return matches.length ? images.get(matches[0]) : undefined;
  }

  private withNames(image: ImageRecord, names: NameIndex): ImageRecord {
    const pointing = (table: Record<string, string>) =>
      Object.entries(table).filter(([, id]) => id === image.id).map(([name]) => name).sort();
    return { ...image, repoTags: pointing(names.tags), repoDigests: pointing(names.digests) };
  }

  private mutate<T>(change: (state: { images: Map<string, ImageRecord>; names: NameIndex }) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => change(await this.load()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private load(): Promise<{ images: Map<string, ImageRecord>; names: NameIndex }> {
    this.state ??= (async () => {
      const images = new Map<string, ImageRecord>();
      let files: string[] = [];
      try {
        files = await readdir(this.imagesDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      for (const file of files.filter((f) => /^[a-f0-9]{64}\.json$/.test(f))) {
        const record = JSON.parse(await readFile(join(this.imagesDir, file), 'utf8')) as ImageRecord;
        images.set(record.id, record);
      }
      let names: NameIndex = { tags: {}, digests: {} };
      try {
        names = JSON.parse(await readFile(this.indexPath, 'utf8')) as NameIndex;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      // Names of images whose record is gone (a crash during remove) would resolve to nothing; drop them.
      for (const table of [names.tags, names.digests]) {
        for (const [name, id] of Object.entries(table)) if (!images.has(id)) delete table[name];
      }
      return { images, names };
    })();
    this.state.catch(() => (this.state = undefined));
    return this.state;
  }

  private recordPath(id: string): string {
    return join(this.imagesDir, `${digestHex(id)}.json`);
  }

  private async writeRecord(image: ImageRecord): Promise<void> {
    await mkdir(this.imagesDir, { recursive: true });
    await writeAtomically(this.recordPath(image.id), JSON.stringify(image, null, 2));
  }

  private async writeIndex(names: NameIndex): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await writeAtomically(this.indexPath, JSON.stringify(names, null, 2));
  }
}

function digestPrefix(id: string): string {
  const hex = id.slice('sha256:'.length);
  if (!/^[a-f0-9]{1,64}$/.test(hex)) throw new InvalidArgumentError(`invalid image id "${id}"`);
  return hex;
}

function normaliseName(name: string): string {
  const reference = parseImageReference(name);
  return formatReference(reference.digest ? { ...reference, tag: undefined } : reference);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
