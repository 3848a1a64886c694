// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import type { EngineDaemon } from './engine-daemon.js';
import { expectSuccess, runProcess, type ProcessResult } from './run-process.js';

/** The real docker CLI (v28) the compatibility tests drive. */
export const DOCKER = '/usr/local/bin/docker';

/** `input`, when given, is written to docker's stdin; `env` adds to its environment (`DOCKER_BUILDKIT`). */
export interface DockerRunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs the docker CLI to its end. */
export interface DockerCli {
  (args: string[], options?: DockerRunOptions): Promise<ProcessResult>;
  /** Runs it as the call does, failing the test unless it exits 0; its stdout. */
  ok(args: string[], options?: DockerRunOptions): Promise<string>;
  /** DOCKER_HOST and DOCKER_CONFIG, for running docker some other way (on a terminal, as a long-lived child). */
  readonly env: { DOCKER_HOST: string; DOCKER_CONFIG: string };
}

/** The docker CLI pointed at `engine`, with its config (logins, contexts) in `dir`/docker-config, never the user's. */
export function dockerCli(engine: EngineDaemon, dir: string): DockerCli {
  const env = { DOCKER_HOST: `unix://${engine.socketPath}`, DOCKER_CONFIG: join(dir, 'docker-config') };
  const run = (args: string[], options: DockerRunOptions = {}) =>
    runProcess(DOCKER, args, { env: { ...process.env, ...env, ...options.env }, input: options.input });
  const ok = async (args: string[], options: DockerRunOptions = {}) => expectSuccess(`docker ${args.join(' ')}`, await run(args, options));
  return Object.assign(run, { ok, env });
}
