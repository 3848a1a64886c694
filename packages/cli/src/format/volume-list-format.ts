// SPDX-License-Identifier: Apache-2.0
import type { Volume } from '@tsc-engine/core/client';
import type { ListFormat } from './list-output.js';

/** `docker volume ls`'s columns and template fields. */
export const volumeListFormat: ListFormat = {
  defaultFormat: 'table {{.Driver}}\t{{.Name}}',
  headers: { Driver: 'DRIVER', Name: 'VOLUME NAME', Mountpoint: 'MOUNTPOINT', Scope: 'SCOPE', Labels: 'LABELS', CreatedAt: 'CREATED' },
};

export function volumeRow(volume: Volume): Record<string, string> {
  return {
    Driver: volume.Driver,
    Name: volume.Name,
    Mountpoint: volume.Mountpoint,
    Scope: volume.Scope,
    Labels: Object.entries(volume.Labels ?? {}).map(([key, value]) => `${key}=${value}`).join(','),
    CreatedAt: volume.CreatedAt,
  };
}
