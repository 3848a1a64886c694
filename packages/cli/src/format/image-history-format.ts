// SPDX-License-Identifier: Apache-2.0
import type { ImageHistoryItem } from '@tsc-engine/core/client';
import { humanSize } from './human-size.js';
import type { ListFormat } from './list-output.js';
import { ellipsis, shortId } from './table.js';
import { timeAgo } from './time-format.js';

/** `docker history`'s columns and template fields. */
export const imageHistoryFormat: ListFormat = {
  defaultFormat: 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}',
  headers: { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' },
};

/** `docker history -H=false`: the creation time as it is rather than how long ago. */
export const imageHistoryExactFormat: ListFormat = {
  ...imageHistoryFormat,
  defaultFormat: 'table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}',
};

/** Docker shows a step's command on one line, cut to this width unless `--no-trunc`. */
const CREATED_BY_WIDTH = 45;

/**
 * One row per history entry, newest first. `human: false` (`-H=false`) gives RFC 3339 times and sizes in bytes, as
 * docker's history formatter does.
 */
export function imageHistoryRows(items: ImageHistoryItem[], options: { truncate: boolean; human: boolean; now?: number }): Record<string, string>[] {
  return items.map((item) => {
    const createdAt = `${new Date(item.Created * 1000).toISOString().slice(0, 19)}Z`;
    const createdBy = item.CreatedBy.replace(/\t/g, ' ');
    return {
      ID: options.truncate ? shortId(item.Id) : item.Id,
      CreatedSince: options.human ? timeAgo(item.Created, options.now) : createdAt,
      CreatedAt: createdAt,
      CreatedBy: options.truncate ? ellipsis(createdBy, CREATED_BY_WIDTH) : createdBy,
      Size: options.human ? humanSize(item.Size) : String(item.Size),
      Comment: item.Comment,
    };
  });
}
