// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import { inject, injectable } from 'inversify';
import type { BuildOptions, CommitOptions, CommitResponse, FilesystemChange } from '../api/image-build.js';
import type { ProgressMessage } from '../api/progress-message.js';
import { ImageBuilder } from '../build/image-builder.js';
import { commitTag, ContainerCommitter } from '../container/container-committer.js';
import type { RegistryAuth } from '../registry/registry.js';
import type { ImageBuildBackend } from './routes/image-build-routes.js';

/** The backend of `diff`, `commit` and `build`. */
@injectable()
export class ImageBuildService implements ImageBuildBackend {
  constructor(
    @inject(ContainerCommitter) private readonly committer: ContainerCommitter,
    @inject(ImageBuilder) private readonly builder: ImageBuilder,
  ) {}

  changes(container: string): Promise<FilesystemChange[]> {
    return this.committer.changes(container);
  }

  async commit(container: string, options: CommitOptions): Promise<CommitResponse> {
    const tag = commitTag(options.repo, options.tag);
    const image = await this.committer.commit(container, { ...options, tags: tag ? [tag] : [] });
    return { Id: image.id };
  }

  async build(
    context: Readable,
    options: BuildOptions & { auth?: Record<string, RegistryAuth> },
    onProgress: (message: ProgressMessage) => void,
    signal: AbortSignal,
  ): Promise<void> {
    await this.builder.build(context, { ...options, signal }, onProgress);
  }
}
