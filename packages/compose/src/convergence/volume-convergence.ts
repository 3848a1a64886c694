// SPDX-License-Identifier: Apache-2.0
import { NotFoundError, isNotFound, settleAll, type EngineClient } from '@tsc-engine/core/client';
import type { ComposeProject } from '../compose-model.js';
import { COMPOSE_VERSION, ComposeLabel, projectFilter } from './compose-labels.js';
import { reportStep, type ProgressWriter } from './progress-writer.js';

/** The named volumes (keys of `project.volumes`) that the given services mount. */
export function volumesOf(project: ComposeProject, services: readonly string[]): string[] {
  const keys = services.flatMap((name) =>
    (project.services[name].volumes ?? []).flatMap((v) => (v.type === 'volume' && v.source !== undefined ? [v.source] : [])),
  );
  return [...new Set(keys)].sort();
}

/** Makes sure each named volume exists: an external one must already, a project one is created when missing. */
export async function ensureVolumes(client: EngineClient, project: ComposeProject, keys: readonly string[], progress: ProgressWriter): Promise<void> {
  await settleAll(
    keys.map(async (key) => {
      const config = project.volumes[key];
      const found = await client.inspectVolume(config.name).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (found) {
        if (!config.external && found.Labels?.[ComposeLabel.project] !== project.name) {
          progress.emit({ kind: 'Volume', name: config.name, status: 'Exists', state: 'warning', detail: 'not created by compose; using it' });
        }
        return;
      }
      if (config.external) {
        throw new NotFoundError(`external volume "${config.name}" not found`, { hint: `create it first: tsc-engine volume create ${config.name}` });
      }
      progress.emit({ kind: 'Volume', name: config.name, status: 'Creating', state: 'working' });
      await client.createVolume({
        Name: config.name,
        Driver: config.driver,
        Labels: { ...config.labels, [ComposeLabel.project]: project.name, [ComposeLabel.volume]: key, [ComposeLabel.version]: COMPOSE_VERSION },
      });
      progress.emit({ kind: 'Volume', name: config.name, status: 'Created', state: 'done' });
    }),
  );
}

/** Removes the project's volumes (found by label; external ones never carry it): `down -v`. */
export async function removeProjectVolumes(client: EngineClient, project: string, progress: ProgressWriter): Promise<void> {
  const { Volumes: volumes } = await client.listVolumes({ filters: projectFilter(project) });
  await settleAll(
    (volumes ?? []).map((volume) => reportStep(progress, { kind: 'Volume', name: volume.Name }, 'Removing', 'Removed', () => client.removeVolume(volume.Name))),
  );
}
