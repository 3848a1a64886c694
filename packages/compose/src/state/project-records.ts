// SPDX-License-Identifier: Apache-2.0
import type { JsonValue, StateStore } from '@tsc-engine/core/state';
import type { ComposeProject } from '../compose-model.js';
import { serviceConfigHash } from '../convergence/config-hash.js';

/** What a command wants of a service's containers. */
export type DesiredState = 'running' | 'created' | 'stopped' | 'removed';

/** `compose/project/<name>`: the project as the last command left it (`converging` while one runs). */
export type ProjectRecord = {
  name: string;
  workingDir: string;
  configFiles: string[];
  services: string[];
  status: 'converging' | 'converged' | 'failed';
  /** `compose up (pid 412 on build-3)`. */
  lastCommand: string;
  updatedAt: string;
  /** Why the last command failed; null after a success. */
  error: string | null;
};

/** `compose/service/<project>/<service>`: a service's whole desired state, configuration included. */
export type ServiceRecord = {
  project: string;
  service: string;
  desired: DesiredState;
  replicas: number;
  configHash: string;
  image: string | null;
  config: JsonValue;
  updatedAt: string;
};

export const PROJECT_PREFIX = 'compose/project/';

export function projectKey(project: string): string {
  return `${PROJECT_PREFIX}${project}`;
}

export function serviceKey(project: string, service: string): string {
  return `compose/service/${project}/${service}`;
}

/** What a command is about to do: the services it acts on and what it makes of them. */
export interface ProjectIntent {
  /** `compose up (pid 412 on build-3)`. */
  command: string;
  /** The services acted on; all of the project's when empty. */
  services: string[];
  desired: DesiredState;
  /** `--scale`, over each service's `scale` / `deploy.replicas`. */
  scale?: Record<string, number>;
}

/**
 * Writes the records of a command: the whole desired state of every service it touches before it starts (so a
 * command that died half-way is finished by running it again, and anyone can see what it was doing), then the
 * outcome. Records of removed services go when their removal succeeded; a `down` of the whole project takes its
 * record too.
 */
export class ProjectRecords {
  constructor(private readonly store: StateStore, private readonly project: ComposeProject, private readonly intent: ProjectIntent) {}

  private get services(): string[] {
    return this.intent.services.length > 0 ? this.intent.services : Object.keys(this.project.services);
  }

  async begin(): Promise<void> {
    const updatedAt = new Date().toISOString();
    // Every key at once: they are independent, and one at a time they were a round trip (a file write or a
    // Redis call) each, ten in a row before a ten-service command could start.
    await Promise.all(
      this.services.map(async (service) => {
        const config = this.project.services[service];
        if (!config) return;
        const record: ServiceRecord = {
          project: this.project.name,
          service,
          desired: this.intent.desired,
          replicas: this.intent.scale?.[service] ?? config.scale ?? config.deploy?.replicas ?? 1,
          configHash: serviceConfigHash(config),
          image: config.image ?? null,
          config: JSON.parse(JSON.stringify(config)) as JsonValue,
          updatedAt,
        };
        await this.store.put({ key: serviceKey(this.project.name, service), value: record });
      }),
    );
    await this.writeProject('converging');
  }

  async succeeded(): Promise<void> {
    if (this.intent.desired !== 'removed') {
      await this.writeProject('converged');
      return;
    }
    await Promise.all(this.services.map((service) => this.store.delete({ key: serviceKey(this.project.name, service) })));
    if (this.intent.services.length === 0) await this.store.delete({ key: projectKey(this.project.name) });
    else await this.writeProject('converged');
  }

  async failed(error: Error): Promise<void> {
    await this.writeProject('failed', error.message);
  }

  private async writeProject(status: ProjectRecord['status'], error?: string): Promise<void> {
    const record: ProjectRecord = {
      name: this.project.name,
      workingDir: this.project.workingDir,
      configFiles: this.project.composeFiles,
      services: Object.keys(this.project.services),
      status,
      lastCommand: this.intent.command,
      updatedAt: new Date().toISOString(),
      error: error ?? null,
    };
    await this.store.put({ key: projectKey(this.project.name), value: record });
  }
}
