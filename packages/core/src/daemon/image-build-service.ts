// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import { inject, injectable } from 'inversify';
import type { BuildOptions, CommitOptions, CommitResponse, FilesystemChange } from '../api/image-build.js';
import type { ProgressMessage } from '../api/progress-message.js';
import { ImageBuilder } from '../build/image-builder.js';
import { commitTag, ContainerCommitter } from '../container/container-committer.js';
import { containerEvent } from '../container/container-event.js';
import { ContainerService } from '../container/container-service.js';
import { EventBus } from '../events/event-bus.js';
import { ImageEventLogger } from '../image/image-event-logger.js';
import { formatReference, parseImageReference } from '../registry/image-reference-parser.js';
import type { RegistryAuth } from '../registry/registry.js';
import { familiarTag } from './image-service.js';
import type { ImageBuildBackend } from './routes/image-build-routes.js';

/**
 * The backend of `diff`, `commit` and `build`. The events are published here, as moby's daemon does around its
 * image service: a commit's `tag` (when named) then the container's `commit`, a build's `tag` for each name; the
 * commits of a build's steps publish neither (moby's `CommitBuildStep`).
 */
@injectable()
export class ImageBuildService implements ImageBuildBackend {
  constructor(
    @inject(ContainerCommitter) private readonly committer: ContainerCommitter,
    @inject(ImageBuilder) private readonly builder: ImageBuilder,
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(ImageEventLogger) private readonly imageEvents: ImageEventLogger,
    @inject(EventBus) private readonly events: EventBus,
  ) {}

  changes(container: string): Promise<FilesystemChange[]> {
    return this.committer.changes(container);
  }

  async commit(container: string, options: CommitOptions): Promise<CommitResponse> {
    const record = this.containers.get(container);
    const tag = commitTag(options.repo, options.tag);
    const image = await this.committer.commit(record.id, { ...options, tags: tag ? [tag] : [] });
    const imageRef = tag ? familiarTag(tag) : '';
    if (tag) await this.imageEvents.log('tag', image.id, imageRef);
    this.events.publish(containerEvent(record, 'commit', { comment: options.comment ?? '', imageID: image.id, imageRef }));
    return { Id: image.id };
  }

  async build(
    context: Readable,
    options: BuildOptions & { auth?: Record<string, RegistryAuth> },
    onProgress: (message: ProgressMessage) => void,
    signal: AbortSignal,
  ): Promise<void> {
    // Each name once, however it was spelled (`x`, `x:latest`), as moby's sanitizeRepoAndTags.
    const tags = [...new Set((options.tags ?? []).map((tag) => formatReference(parseImageReference(tag))))];
    const image = await this.builder.build(context, { ...options, tags, signal }, onProgress);
    for (const tag of tags) await this.imageEvents.log('tag', image.id, familiarTag(tag));
  }
}
