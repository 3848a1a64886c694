// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, type Stream, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inject, injectable, optional } from 'inversify';
import { isTarHeader, TAR_BLOCK } from '../archive/tar-header.js';
import { EngineConfig } from '../config/engine-config.js';
import { InvalidArgumentError, NotImplementedError } from '../errors/engine-error.js';
import { formatReference, parseImageReference } from '../registry/image-reference-parser.js';
import { hostPlatform, parsePlatform } from '../registry/platform-matcher.js';
import { engineTmpDir } from '../shared/engine-tmp-dir.js';
import { DiffIdTap } from '../snapshot/diff-id-tap.js';
import { applyConfigChanges } from './config-changes.js';
import type { ImageRecord } from './image-record.js';
import { ImageWriter, type NewLayer } from './image-writer.js';
import { layerDecompressor, sniffCompression } from './layer-decompressor.js';

export interface ImportImageOptions {
  /** `fromSrc`: only `-` (the archive is `archive`); the engine fetches nothing from a URL. */
  source: string;
  archive: Readable;
  /** `repo[:tag]` to name the image; none leaves it untagged. */
  repo?: string;
  tag?: string;
  /** The history comment; Docker's default is `Imported from <source>`. */
  message?: string;
  /** Dockerfile instructions for the config (`CMD ["sh"]`, `ENV A=b`); see {@link applyConfigChanges}. */
  changes?: string[];
  /** `os/arch[/variant]` recorded in the config; the host's by default. */
  platform?: string;
  signal?: AbortSignal;
}

/** Bytes enough to tell how an archive is compressed (xz's magic is the longest). */
const MAGIC_BYTES = 6;

/**
 * `docker import` (`POST /images/create?fromSrc=-`): a file system tar (plain, gzip or zstd) becomes a one-layer
 * image with a config built from `changes` alone, as moby's `ImportImage` builds it. The archive is spooled to the
 * data root inflated, hashed on the way (so the layer is read only once more, to be stored and unpacked), and checked
 * to be a tar before anything is unpacked.
 */
@injectable()
export class ImageImporter {
  constructor(
    @inject(ImageWriter) private readonly writer: ImageWriter,
    @inject(EngineConfig) @optional() private readonly config?: EngineConfig,
  ) {}

  async import(options: ImportImageOptions): Promise<ImageRecord> {
    if (options.source !== '-') {
      // moby would download it; a daemon that fetches URLs on a client's word is a request forgery waiting to happen.
      throw new NotImplementedError(`import from "${options.source}": only archives sent with the request (fromSrc=-) can be imported`, {
        hint: 'download the archive yourself, then `docker import file.tar` or pipe it to `docker import -`',
      });
    }
    const tag = importTag(options.repo, options.tag);
    const platform = options.platform ? parsePlatform(options.platform) : hostPlatform();
    if (platform.os !== 'linux') throw new InvalidArgumentError(`import: unsupported os "${platform.os}": images here are linux images`);
    const config = applyConfigChanges({}, options.changes ?? []);
    const comment = options.message || `Imported from ${options.source}`;

    const dir = await engineTmpDir(this.config, 'import');
    try {
      const layer = await spoolLayer(options.archive, join(dir, 'layer.tar'), options.signal);
      const created = new Date().toISOString();
      return await this.writer.write({
        what: 'import',
        layers: [layer],
        config: {
          architecture: platform.architecture,
          os: platform.os,
          ...(platform.variant !== undefined && { variant: platform.variant }),
          created,
          comment,
          config,
          history: [{ created, comment }],
        },
        tags: tag ? [tag] : [],
        signal: options.signal,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** `repo` and `tag` as moby's `RepoTagReference` joins them: a tag in `repo` unless `tag` is given, else `latest`. */
function importTag(repo: string | undefined, tag: string | undefined): string | undefined {
  if (!repo) return undefined;
  const reference = parseImageReference(repo, { defaultTag: false });
  if (reference.digest) throw new InvalidArgumentError(`import: cannot import digest reference ${repo}: name it with a tag`);
  if (tag && !/^[\w][\w.-]{0,127}$/.test(tag)) throw new InvalidArgumentError(`import: invalid tag format "${tag}"`);
  return formatReference({ ...reference, tag: tag || reference.tag || 'latest' });
}

/**
 * Writes the archive's tar, inflated, to `path`, hashing it on the way. Refuses an archive that is empty, compressed
 * in a way this engine cannot undo, or whose first block (once inflated) is not a tar header, so a wrong file fails
 * with a message saying so rather than a parser error.
 */
async function spoolLayer(archive: Readable, path: string, signal?: AbortSignal): Promise<NewLayer> {
  const { head, whole } = await peek(archive, MAGIC_BYTES);
  const magic = head.subarray(0, MAGIC_BYTES);
  if (magic.length === 0) throw new InvalidArgumentError('import: the archive is empty', { hint: 'pass a tar archive of a file system' });
  const compression = sniffCompression(magic);
  let decompressor: Transform;
  try {
    if (magic.toString('latin1', 0, 3) === 'BZh' || magic.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
      throw new NotImplementedError('import: bzip2 and xz archives are not supported', { hint: 'decompress it first, or recompress it with gzip' });
    }
    decompressor = layerDecompressor(compression, 'import');
  } catch (error) {
    // The rest is read and dropped, so that the client can finish sending and hear why.
    whole.resume();
    throw error;
  }
  const tap = new DiffIdTap();
  const streams = [whole, decompressor, tap, createWriteStream(path, { flags: 'wx', mode: 0o600 })];
  // A failure destroys every stream of the pipeline with the same error; the first to report it is where it arose.
  let failed: Stream | undefined;
  for (const stream of streams) stream.once('error', () => (failed ??= stream));
  try {
    await pipeline(streams, { signal });
  } catch (cause) {
    if (failed !== decompressor || signal?.aborted) throw cause;
    throw new InvalidArgumentError(`import: cannot decompress the ${compression} archive: ${(cause as Error).message}`, { cause });
  }
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(TAR_BLOCK), 0, TAR_BLOCK, 0);
    const block = buffer.subarray(0, bytesRead);
    // The zero block alone: an archive with no entries, which makes an empty layer.
    if (!isTarHeader(block) && !(bytesRead === TAR_BLOCK && block.every((byte) => byte === 0))) {
      throw new InvalidArgumentError('import: the archive is not a tar file', { hint: 'pass a tar archive (plain, gzip or zstd) of a file system' });
    }
  } finally {
    await handle.close();
  }
  return { path, diffId: tap.result().diffId };
}

/**
 * The first `length` bytes of `stream` or more (fewer when it is shorter), and a stream of all its bytes, those
 * included: `stream` itself with them put back, or, when it has ended, a new one.
 */
async function peek(stream: Readable, length: number): Promise<{ head: Buffer; whole: Readable }> {
  const chunks: Buffer[] = [];
  for (let size = 0; size < length; ) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      chunks.push(chunk);
      size += chunk.length;
      continue;
    }
    if (stream.readableEnded) break;
    const ended = once(stream, 'end');
    // Rejects with the stream's error, as `readable` does, which is the one awaited then.
    ended.catch(() => {});
    await Promise.race([once(stream, 'readable'), ended]);
  }
  const head = Buffer.concat(chunks);
  if (stream.readableEnded) return { head, whole: Readable.from(chunks) };
  if (head.length > 0) stream.unshift(head);
  return { head, whole: stream };
}
