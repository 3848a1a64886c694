// SPDX-License-Identifier: Apache-2.0
import type { ContainerSummary } from '@tsc-engine/core/client';
import { goTimeString, timeAgo } from './time-format.js';
import type { ListFormat } from './list-output.js';
import { ellipsis, shortId } from './table.js';

/** `docker ps`'s columns and template fields. */
export const containerListFormat: ListFormat = {
  defaultFormat: 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
  headers: {
    ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Ports: 'PORTS',
    State: 'STATE', Status: 'STATUS', Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS', Mounts: 'MOUNTS', Networks: 'NETWORKS',
  },
};

interface PortBinding {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

/** The template fields of one container, formatted as docker's ps does (12-char id, quoted 20-char command). */
export function containerRow(container: ContainerSummary, options: { truncate: boolean; now?: number }): Record<string, string> {
  const { truncate } = options;
  const command = truncate ? ellipsis(container.Command, 20) : container.Command;
  return {
    ID: truncate ? shortId(container.Id) : container.Id,
    Image: truncate && container.Image.startsWith('sha256:') ? shortId(container.Image) : container.Image,
    Command: JSON.stringify(command),
    CreatedAt: goTimeString(container.Created),
    RunningFor: timeAgo(container.Created, options.now),
    Ports: (container.Ports as PortBinding[]).map(formatPort).join(', '),
    State: container.State,
    Status: container.Status,
    Size: '',
    Names: container.Names.map((name) => name.replace(/^\//, '')).join(','),
    Labels: Object.entries(container.Labels ?? {}).map(([key, value]) => `${key}=${value}`).join(','),
    Mounts: (container.Mounts as { Name?: string; Source?: string }[]).map((m) => m.Name || m.Source || '').join(','),
    Networks: Object.keys(container.NetworkSettings?.Networks ?? {}).join(','),
  };
}

function formatPort(port: PortBinding): string {
  if (!port.PublicPort) return `${port.PrivatePort}/${port.Type}`;
  const ip = port.IP?.includes(':') ? `[${port.IP}]` : port.IP ?? '0.0.0.0';
  return `${ip}:${port.PublicPort}->${port.PrivatePort}/${port.Type}`;
}
