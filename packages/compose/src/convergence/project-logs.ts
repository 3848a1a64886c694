// SPDX-License-Identifier: Apache-2.0
import { settleAll, type EngineClient } from '@tsc-engine/core/client';
import { logName, type ProjectContainer } from './project-containers.js';

export interface ProjectLogOptions {
  follow?: boolean;
  /** `all` or a number of lines per container. */
  tail?: string;
  timestamps?: boolean;
  /** Unix seconds: only what was logged since (how attached `up` skips output of earlier runs). */
  since?: string;
}

/**
 * Prints the logs of `containers` interleaved as they arrive, each line prefixed `web-1  | ` (names padded to
 * one width, as docker compose does); stderr lines go to `err`. Resolves when every stream has ended — with
 * `follow`, when every container has stopped — or `signal` aborts.
 */
export async function printProjectLogs(
  client: EngineClient,
  project: string,
  containers: readonly ProjectContainer[],
  options: ProjectLogOptions,
  out: LogOutput,
  signal?: AbortSignal,
): Promise<void> {
  const width = Math.max(0, ...containers.map((c) => logName(project, c).length));
  await settleAll(containers.map((container) => printContainerLogs(client, project, container, width, options, out, signal)));
}

/** Where log lines go: the process's own streams, for a CLI. */
export interface LogOutput {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The log of one container, its lines prefixed with its name padded to `width`; see {@link printProjectLogs}. */
export async function printContainerLogs(
  client: EngineClient,
  project: string,
  container: ProjectContainer,
  width: number,
  options: ProjectLogOptions,
  out: LogOutput,
  signal?: AbortSignal,
): Promise<void> {
  const prefix = `${logName(project, container).padEnd(width)} | `;
  const pending = { stdout: '', stderr: '' };
  const stream = client.containerLogs(
    container.id,
    { follow: options.follow, tail: options.tail, timestamps: options.timestamps, since: options.since, stdout: true, stderr: true },
    signal,
  );
  for await (const chunk of stream) {
    const lines = (pending[chunk.stream] + chunk.data.toString('utf8')).split('\n');
    pending[chunk.stream] = lines.pop()!;
    if (lines.length > 0) out[chunk.stream].write(lines.map((line) => `${prefix}${line}\n`).join(''));
  }
  for (const name of ['stdout', 'stderr'] as const) if (pending[name]) out[name].write(`${prefix}${pending[name]}\n`);
}
