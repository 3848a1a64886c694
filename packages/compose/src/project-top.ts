// SPDX-License-Identifier: Apache-2.0
import { renderTable } from '@tsc-engine/core/client';

/** The processes of one container, as `GET /containers/{id}/top` lists them. */
export interface ContainerProcesses {
  service: string;
  /** The container number (`-1` for a one-off `run` container). */
  replica: string;
  titles: readonly string[];
  processes: readonly (readonly string[])[];
}

/**
 * `compose top`'s one table, as docker compose prints it (`cmd/compose/top.go`): a SERVICE and a # column, then
 * every ps column met, CMD last; a column a container's ps did not give shows `-`. Empty when nothing runs.
 */
export function formatTopTable(containers: readonly ContainerProcesses[]): string {
  const titles = ['SERVICE', '#'];
  for (const c of containers) for (const title of c.titles) if (!titles.includes(title)) titles.push(title);
  if (titles.includes('CMD')) titles.push(...titles.splice(titles.indexOf('CMD'), 1));
  const rows = containers.flatMap((c) =>
    c.processes.map((process) => {
      const cells = new Map([['SERVICE', c.service], ['#', c.replica], ...c.titles.map((title, i): [string, string] => [title, process[i]])]);
      return titles.map((title) => cells.get(title) ?? '-');
    }),
  );
  if (rows.length === 0) return '';
  // Go's tabwriter with docker compose's settings for `top`.
  return renderTable([titles, ...rows], { minWidth: 4, padding: 2 });
}
