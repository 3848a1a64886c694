// SPDX-License-Identifier: Apache-2.0
import { humanDuration, renderTable, type PortSummary } from '@tsc-engine/core/client';
import type { ProjectContainer } from './convergence/project-containers.js';
import { ComposeLabel } from './convergence/compose-labels.js';

/** A line of `compose ps --format json`, in docker compose's shape (one JSON object per container). */
export interface PsEntry {
  ID: string;
  Name: string;
  Names: string;
  Image: string;
  Command: string;
  Project: string;
  Service: string;
  /** Unix seconds. */
  Created: number;
  RunningFor: string;
  State: string;
  Status: string;
  Health: string;
  ExitCode: number;
  Publishers: { URL: string; TargetPort: number; PublishedPort: number; Protocol: string }[];
  Ports: string;
  Networks: string;
  Labels: string;
}

export function toPsEntry(container: ProjectContainer, now = Date.now()): PsEntry {
  const { summary } = container;
  const ports = (summary.Ports ?? []) as PortSummary[];
  return {
    ID: summary.Id,
    Name: container.name,
    Names: container.name,
    Image: summary.Image,
    Command: summary.Command,
    Project: summary.Labels[ComposeLabel.project] ?? '',
    Service: container.service,
    Created: summary.Created,
    RunningFor: `${humanDuration(now / 1000 - summary.Created)} ago`,
    State: summary.State,
    Status: summary.Status,
    Health: /\((healthy|unhealthy)\)|health: (starting)/.exec(summary.Status)?.slice(1).find(Boolean) ?? '',
    ExitCode: Number(/^Exited \((\d+)\)/.exec(summary.Status)?.[1] ?? 0),
    Publishers: ports.map((p) => ({ URL: p.IP ?? '', TargetPort: p.PrivatePort, PublishedPort: p.PublicPort ?? 0, Protocol: p.Type })),
    Ports: formatPorts(ports),
    Networks: Object.keys(summary.NetworkSettings?.Networks ?? {}).join(','),
    Labels: Object.entries(summary.Labels).map(([k, v]) => `${k}=${v}`).join(','),
  };
}

/** `127.0.0.1:8080->80/tcp, 443/tcp`, as docker ps prints a container's ports. */
export function formatPorts(ports: readonly PortSummary[]): string {
  return ports
    .map((p) => (p.PublicPort ? `${p.IP ?? '0.0.0.0'}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`))
    .join(', ');
}

/** The `ps` and `ls` tables: left-aligned columns three spaces apart, with no minimum width and no spaces after an empty last cell. */
export function formatTable(header: string[], rows: string[][]): string {
  return renderTable([header, ...rows], { minWidth: 0, trimLineEnds: true });
}
