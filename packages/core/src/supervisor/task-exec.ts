// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InternalError, InvalidArgumentError } from '../errors/engine-error.js';
import { grantableCapabilities } from '../runtime/capabilities.js';
import { mergeEnv } from '../runtime/container-spec-builder.js';
import { resolveContainerUser } from '../runtime/container-user.js';
import type { OciProcess, OciSpec } from '../runtime/oci-spec.js';
import type { TaskExecOptions, TaskExecProcess } from './supervisor.js';

/**
 * The exec's process as Docker builds it (moby `daemon/exec.go`): the container's process with the exec's args,
 * its environment over the container's, and its working directory and user when given. Capabilities and the rest
 * stay the container's, so an exec can do no more than the container's own process — unless it is privileged,
 * which gets every capability the engine can grant, as moby's `execSetPlatformOpt` gives it all of them.
 */
export async function execProcess(spec: OciSpec, options: TaskExecOptions): Promise<OciProcess> {
  if (options.args.length === 0) throw new InvalidArgumentError('no command specified');
  const cwd = options.workingDir || spec.process.cwd;
  if (!cwd.startsWith('/')) throw new InvalidArgumentError(`the working directory '${cwd}' is invalid, it needs to be an absolute path`);
  const user = options.user ? await resolveContainerUser(spec.root.path, options.user) : spec.process.user;
  // As moby's CreateDaemonEnvironment: a terminal gets TERM unless the exec sets its own.
  const env = mergeEnv(spec.process.env, [...(options.tty ? ['TERM=xterm'] : []), ...(options.env ?? [])]);
  // The container's terminal size is its own terminal's: an exec's terminal is new, sized by the exec alone.
  const { consoleSize: _container, ...process } = spec.process;
  const consoleSize = options.tty && options.consoleSize ? { consoleSize: options.consoleSize } : {};
  const capabilities = options.privileged ? await grantableCapabilities() : undefined;
  return {
    ...process,
    terminal: options.tty === true,
    ...consoleSize,
    args: options.args,
    env,
    cwd,
    user,
    ...(capabilities && { capabilities: { bounding: capabilities, effective: capabilities, permitted: capabilities } }),
  };
}

/** Starts an exec's process with its files in `dir`: as the runtime's child, or under a monitor for a terminal. */
export type ExecRunner = (process: OciProcess, dir: string) => Promise<TaskExecProcess>;

/**
 * Runs an exec in task `id` of `bundle` through `run`, with its files in a fresh directory under `execsDir`, removed
 * once the exec has ended.
 */
export async function execInTask(
  id: string,
  bundle: string,
  execsDir: string,
  options: TaskExecOptions,
  run: ExecRunner,
): Promise<TaskExecProcess> {
  let spec: OciSpec;
  try {
    spec = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as OciSpec;
  } catch (error) {
    throw new InternalError(`exec in task ${id}: unreadable bundle spec`, { cause: error });
  }
  const process = await execProcess(spec, options);
  const dir = join(execsDir, randomBytes(8).toString('hex'));
  await mkdir(dir, { recursive: true });
  const removeDir = () => rm(dir, { recursive: true, force: true });
  try {
    const exec = await run(process, dir);
    exec.exit.finally(removeDir).catch(() => undefined);
    return exec;
  } catch (error) {
    await removeDir();
    throw error;
  }
}
