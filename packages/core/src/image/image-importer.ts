// SPDX-License-Identifier: Apache-2.0
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline as pipelineCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inject, injectable, optional } from 'inversify';
import { EngineConfig } from '../config/engine-config.js';
import { InvalidArgumentError, NotImplementedError } from '../errors/engine-error.js';
import { formatReference, parseImageReference } from '../registry/image-reference-parser.js';
import { hostPlatform, parsePlatform } from '../registry/platform-matcher.js';
import { applyConfigChanges } from './config-changes.js';
import type { ImageRecord } from './image-record.js';
import { ImageWriter } from './image-writer.js';
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

const TAR_BLOCK = 512;

/**
 * `docker import` (`POST /images/create?fromSrc=-`): a file system tar (plain, gzip or zstd) becomes a one-layer
 * image with a config built from `changes` alone, as moby's `ImportImage` builds it. The archive is spooled to the
 * data root and checked to be a tar before anything is unpacked.
 */
@injectable()
export class ImageImporter {
  private readonly spoolRoot: string;

  constructor(
    @inject(ImageWriter) private readonly writer: ImageWriter,
    @inject(EngineConfig) @optional() config?: EngineConfig,
  ) {
    this.spoolRoot = config ? join(config.dataRoot, 'tmp') : tmpdir();
  }

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

    await mkdir(this.spoolRoot, { recursive: true });
    const dir = await mkdtemp(join(this.spoolRoot, 'import-'));
    try {
      const path = join(dir, 'layer');
      await pipeline(options.archive, createWriteStream(path, { flags: 'wx', mode: 0o600 }), { signal: options.signal });
      await assertTarArchive(path);
      const created = new Date().toISOString();
      return await this.writer.write({
        what: 'import',
        layers: [{ path }],
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
 * Refuses an archive that is empty, compressed in a way this engine cannot undo, or whose first block (once
 * inflated) is not a tar header, so a wrong file fails with a message saying so rather than a parser error.
 */
async function assertTarArchive(path: string): Promise<void> {
  const head = Buffer.concat(await createReadStream(path, { end: 5 }).toArray());
  if (head.length === 0) throw new InvalidArgumentError('import: the archive is empty', { hint: 'pass a tar archive of a file system' });
  if (head.toString('latin1', 0, 3) === 'BZh' || head.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    throw new NotImplementedError('import: bzip2 and xz archives are not supported', { hint: 'decompress it first, or recompress it with gzip' });
  }
  const compression = sniffCompression(head);
  const decompressor = layerDecompressor(compression, 'import');
  let block = Buffer.alloc(0);
  try {
    // Stopping early destroys the pipeline's last stream, and with it the file stream.
    const inflated = pipelineCallback(createReadStream(path), decompressor, () => {});
    for await (const chunk of inflated as AsyncIterable<Buffer>) {
      block = Buffer.concat([block, chunk]);
      if (block.length >= TAR_BLOCK) break;
    }
  } catch (cause) {
    throw new InvalidArgumentError(`import: cannot decompress the ${compression} archive: ${(cause as Error).message}`, { cause });
  }
  if (!isTarHeader(block.subarray(0, TAR_BLOCK))) {
    throw new InvalidArgumentError('import: the archive is not a tar file', { hint: 'pass a tar archive (plain, gzip or zstd) of a file system' });
  }
}

/** A tar header block (ustar or v7: its checksum adds up), or the zero block that ends an archive with no entries. */
function isTarHeader(block: Buffer): boolean {
  if (block.length < TAR_BLOCK) return false;
  if (block.every((byte) => byte === 0)) return true;
  const recorded = Number.parseInt(block.toString('latin1', 148, 156).replace(/\0.*$/s, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return recorded === sum;
}
