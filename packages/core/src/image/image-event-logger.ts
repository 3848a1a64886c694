// SPDX-License-Identifier: Apache-2.0
import { inject, injectable } from 'inversify';
import { EventBus } from '../events/event-bus.js';
import { familiarName } from '../registry/image-reference-parser.js';
import type { ImageReference } from '../registry/image-reference.js';
import { ImageStore } from './image-store.js';

/** What happened to an image, as Docker names it in `GET /events`. */
export type ImageEventAction = 'pull' | 'push' | 'tag' | 'untag' | 'delete' | 'import' | 'load' | 'save';

/**
 * Publishes image events in the shape of moby's (classic image store) `LogImageEvent`: the actor is the image id,
 * or for `pull` and `push` the reference that moved; the attributes are the image's labels while it still exists
 * (so a `delete` has none) and `name`. Which `name` each action carries is Docker's choice, kept by the callers:
 * the new reference for `tag`, the repository for `pull`/`push`, the image id for the rest.
 */
@injectable()
export class ImageEventLogger {
  constructor(
    @inject(EventBus) private readonly bus: EventBus,
    @inject(ImageStore) private readonly images: ImageStore,
  ) {}

  /** `actor` is an image id or a name the store resolves; its labels are read now, as Docker reads them. */
  async log(action: ImageEventAction, actor: string, name: string): Promise<void> {
    const labels = await this.labelsOf(actor);
    this.bus.publish({ Type: 'image', Action: action, Actor: { ID: actor, Attributes: { ...labels, name } } });
  }

  /** A pull or push of `reference`: the actor is `busybox:latest` (no tag when every tag moved), the name `busybox`. */
  logTransfer(action: 'pull' | 'push', reference: ImageReference): Promise<void> {
    return this.log(action, familiarName(reference), familiarName({ domain: reference.domain, path: reference.path }));
  }

  /** `docker image prune`'s closing event, after the `untag` and `delete` of each image it removed. */
  logPrune(reclaimedBytes: number): void {
    this.bus.publish({ Type: 'image', Action: 'prune', Actor: { ID: '', Attributes: { reclaimed: String(reclaimedBytes) } } });
  }

  private async labelsOf(actor: string): Promise<Record<string, string>> {
    try {
      const image = await this.images.resolve(actor);
      return (await this.images.config(image)).config?.Labels ?? {};
    } catch {
      // Gone (a `delete`) or unreadable: the event goes without labels, as moby's does; reporting an operation
      // must never fail it after it succeeded.
      return {};
    }
  }
}
