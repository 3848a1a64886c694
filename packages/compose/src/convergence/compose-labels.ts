// SPDX-License-Identifier: Apache-2.0

/**
 * The labels by which compose finds its objects again (docker/compose `pkg/api/labels.go`): nothing about a
 * project is stored anywhere but on its containers, networks and volumes, so any client of the same engine —
 * including docker compose itself — sees the same project.
 */
export const ComposeLabel = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  dependsOn: 'com.docker.compose.depends_on',
  image: 'com.docker.compose.image',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  /** The random id of a one-off `run` container, the end of its name. */
  slug: 'com.docker.compose.slug',
} as const;

/** What `com.docker.compose.version` says made an object. */
export const COMPOSE_VERSION = '2.40.0-tsc-engine';

/** List filter for the objects of one project (`label=com.docker.compose.project=x`). */
export function projectFilter(project: string, ...more: string[]): Record<string, string[]> {
  return { label: [`${ComposeLabel.project}=${project}`, ...more] };
}
