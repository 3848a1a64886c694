// SPDX-License-Identifier: Apache-2.0
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { inject, injectable, optional } from 'inversify';
import type { ContainerConfig } from '../api/container.js';
import type { CommitOptions, FilesystemChange } from '../api/image-build.js';
import { EngineConfig } from '../config/engine-config.js';
import { InvalidArgumentError, NotFoundError } from '../errors/engine-error.js';
import { applyConfigChanges } from '../image/config-changes.js';
import type { ImageConfig, ImageRunConfig } from '../image/image-config.js';
import type { ImageRecord } from '../image/image-record.js';
import { ImageStore } from '../image/image-store.js';
import { ImageWriter } from '../image/image-writer.js';
import { formatReference, parseImageReference } from '../registry/image-reference-parser.js';
import { engineTmpDir } from '../shared/engine-tmp-dir.js';
import { DiffIdTap } from '../snapshot/diff-id-tap.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { upperDirChanges } from '../snapshot/upper-dir-changes.js';
import { upperDirTar } from '../snapshot/upper-dir-tar.js';
import { ContainerOperations } from './container-operations.js';
import { ContainerService } from './container-service.js';

/** How a commit's image is described; the builder sets these itself, `POST /commit` from its query. */
export interface CommitRequest extends Omit<CommitOptions, 'repo' | 'tag'> {
  /** Fully qualified names for the image. */
  tags?: string[];
  /** The image's run config instead of the container's (which `changes` then amend). */
  config?: ImageRunConfig;
  /** History entries to put between the parent's and the commit's own (the builder's config-only steps). */
  history?: NonNullable<ImageConfig['history']>;
  /** The history entry's `created_by`: the container's command unless given. */
  createdBy?: string;
  signal?: AbortSignal;
}

/**
 * `docker diff` and `docker commit`: a container's writable layer listed as changes, or stored as a new image
 * layer on top of the container's image, with the container's config (or the one given) amended by Dockerfile
 * config instructions.
 */
@injectable()
export class ContainerCommitter {
  constructor(
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(ContainerOperations) private readonly operations: ContainerOperations,
    @inject(Snapshotter) private readonly snapshotter: Snapshotter,
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(ImageWriter) private readonly writer: ImageWriter,
    @inject(EngineConfig) @optional() private readonly config?: EngineConfig,
  ) {}

  async changes(idOrName: string): Promise<FilesystemChange[]> {
    const record = this.containers.get(idOrName);
    const upper = this.snapshotter.upperDir(record.id);
    // Never mounted: nothing written yet.
    if (!(await stat(upper).then(() => true, () => false))) return [];
    return upperDirChanges(upper, record.layers.map((layer) => this.snapshotter.layerPath(layer)).reverse());
  }

  async commit(idOrName: string, request: CommitRequest = {}): Promise<ImageRecord> {
    const record = this.containers.get(idOrName);
    const parent = await this.images.get(record.imageId);
    if (!parent) throw new NotFoundError(`commit ${record.id}: its image ${record.imageId} is gone`);
    const parentConfig = await this.images.config(parent);
    const runConfig = applyConfigChanges(request.config ?? runConfigOf(record.config), request.changes ?? []);

    const dir = await engineTmpDir(this.config, 'commit');
    try {
      const layer = join(dir, 'layer.tar');
      const tap = new DiffIdTap();
      const upper = this.snapshotter.upperDir(record.id);
      await mkdir(upper, { recursive: true });
      const thaw = request.pause === false ? async () => undefined : await this.operations.freeze(record.id);
      try {
        await pipeline(upperDirTar(upper), tap, createWriteStream(layer), { signal: request.signal });
      } finally {
        await thaw();
      }
      const created = new Date().toISOString();
      const { rootfs: _rootfs, author: _author, ...base } = parentConfig;
      const config: Omit<ImageConfig, 'rootfs'> = {
        ...base,
        created,
        ...(request.author && { author: request.author }),
        config: runConfig,
        history: [
          ...(parentConfig.history ?? []),
          ...(request.history ?? []),
          {
            created,
            created_by: request.createdBy ?? [record.path, ...record.args].join(' '),
            ...(request.author && { author: request.author }),
            ...(request.comment && { comment: request.comment }),
          },
        ],
      };
      return await this.writer.write({ parent, layers: [{ path: layer, diffId: tap.result().diffId }], config, tags: request.tags, what: `commit ${record.id}`, signal: request.signal });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** The fully qualified name `repo[:tag]` of `POST /commit` (tag `latest` when absent); none without a repo. */
export function commitTag(repo?: string, tag?: string): string | undefined {
  if (!repo) return undefined;
  const reference = parseImageReference(repo, { defaultTag: false });
  if (reference.digest) throw new InvalidArgumentError(`invalid reference format: ${repo} is a digest, not a repository`);
  return formatReference({ ...reference, tag: tag || reference.tag || 'latest' });
}

/** The parts of a container's config an image keeps. */
export function runConfigOf(config: ContainerConfig): ImageRunConfig {
  const run: ImageRunConfig = {
    User: config.User,
    ExposedPorts: config.ExposedPorts,
    Env: config.Env,
    Entrypoint: config.Entrypoint,
    Cmd: config.Cmd,
    Volumes: config.Volumes ?? undefined,
    WorkingDir: config.WorkingDir,
    Labels: config.Labels,
    StopSignal: config.StopSignal,
    Healthcheck: config.Healthcheck,
  };
  return Object.fromEntries(Object.entries(run).filter(([, value]) => value !== undefined)) as ImageRunConfig;
}
