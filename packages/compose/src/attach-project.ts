// SPDX-License-Identifier: Apache-2.0
import type { EngineClient } from '@tsc-engine/core/client';
import type { ProjectConverger } from './convergence/project-converger.js';
import { listProjectContainers, logName, ofServices, type ProjectContainer } from './convergence/project-containers.js';
import { printProjectLogs } from './convergence/project-logs.js';

export interface AttachOptions {
  /** Unix seconds: logs from this `up` only, not from earlier runs of the same containers. */
  since: string;
  /** Stop everything as soon as one container stops. */
  abortOnExit: boolean;
  /** Whose exit code is the command's. */
  exitCodeFrom?: string;
  timeout?: number;
}

/**
 * Attached `up`: the services' logs until their containers stop, each stop announced (`web-1 exited with code
 * 0`). Ctrl-C — or, with `abortOnExit`, the first container to stop — stops them all. Answers the exit code the
 * command should end with.
 */
export async function attachProject(client: EngineClient, converger: ProjectConverger, services: string[], options: AttachOptions): Promise<number> {
  const project = converger.project.name;
  const containers = ofServices(await listProjectContainers(client, project), services);
  const following = new AbortController();
  const logs = printProjectLogs(client, project, containers, { follow: true, since: options.since }, process, following.signal);
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> => (stopping ??= converger.stop(services, options.timeout));
  const onSignal = (): void => {
    process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
    process.removeListener('SIGINT', onSignal);
    void stopAll();
  };
  process.on('SIGINT', onSignal);
  try {
    const exits = containers.map((c) => exitOf(client, c, project));
    let exitCode = 0;
    if (options.abortOnExit) {
      const first = await Promise.race(exits);
      exitCode = first.code;
      await stopAll();
    }
    const all = await Promise.all(exits);
    if (options.exitCodeFrom !== undefined) exitCode = all.find((e) => e.container.service === options.exitCodeFrom)?.code ?? exitCode;
    await stopping;
    await logs;
    return exitCode;
  } finally {
    process.removeListener('SIGINT', onSignal);
    following.abort();
  }
}

async function exitOf(client: EngineClient, container: ProjectContainer, project: string): Promise<{ container: ProjectContainer; code: number }> {
  const { StatusCode: code } = await client.waitContainer(container.id, 'not-running').result;
  process.stdout.write(`${logName(project, container)} exited with code ${code}\n`);
  return { container, code };
}
