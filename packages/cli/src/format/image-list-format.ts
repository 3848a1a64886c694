// SPDX-License-Identifier: Apache-2.0
import type { ImageSummary } from '@tsc-engine/core/client';
import { goTimeString, timeAgo } from './time-format.js';
import { humanSize } from './human-size.js';
import type { ListFormat } from './list-output.js';
import { shortId } from './table.js';

/** `docker images`'s columns and template fields. */
export const imageListFormat: ListFormat = {
  defaultFormat: 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}',
  headers: {
    Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT',
    Size: 'SIZE', Containers: 'CONTAINERS',
  },
};

/** `docker images --digests`: the same with a DIGEST column after the tag. */
export const imageListWithDigestsFormat: ListFormat = {
  ...imageListFormat,
  defaultFormat: 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}',
};

/** One row per tag of each image (or one `<none>` row for an untagged image), as `docker images` lists them. */
export function imageRows(images: ImageSummary[], options: { truncate: boolean; now?: number }): Record<string, string>[] {
  return images.flatMap((image) => {
    const common = {
      ID: options.truncate ? shortId(image.Id) : image.Id,
      CreatedSince: timeAgo(image.Created, options.now),
      CreatedAt: goTimeString(image.Created),
      Size: humanSize(image.Size),
      Containers: image.Containers < 0 ? 'N/A' : String(image.Containers),
    };
    const digestOf = (repository: string) =>
      (image.RepoDigests ?? []).find((d) => d.startsWith(`${repository}@`))?.split('@')[1] ?? '<none>';
    const tags = (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
    if (tags.length === 0) {
      const repository = image.RepoDigests?.[0]?.split('@')[0] ?? '<none>';
      return [{ Repository: repository, Tag: '<none>', Digest: digestOf(repository), ...common }];
    }
    return tags.map((reference) => {
      const colon = reference.lastIndexOf(':');
      const repository = reference.slice(0, colon);
      return { Repository: repository, Tag: reference.slice(colon + 1), Digest: digestOf(repository), ...common };
    });
  });
}
