// SPDX-License-Identifier: Apache-2.0
import type { NetworkInspect } from '@tsc-engine/core/client';
import type { ListFormat } from './list-output.js';

/** `docker network ls`'s columns and template fields. */
export const networkListFormat: ListFormat = {
  defaultFormat: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}',
  headers: { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', Internal: 'INTERNAL', Labels: 'LABELS', CreatedAt: 'CREATED AT' },
};

export function networkRow(network: NetworkInspect): Record<string, string> {
  return {
    ID: network.Id.slice(0, 12),
    Name: network.Name,
    Driver: network.Driver,
    Scope: network.Scope,
    Internal: String(network.Internal),
    Labels: Object.entries(network.Labels ?? {}).map(([key, value]) => `${key}=${value}`).join(','),
    CreatedAt: network.Created,
  };
}
