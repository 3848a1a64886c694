// SPDX-License-Identifier: Apache-2.0
import { injectable } from 'inversify';
import { FailedPreconditionError, type EngineError } from '../errors/engine-error.js';
import { PluginSkipError } from '../plugin/plugin-skip-error.js';
import type { PluginContext } from '../plugin/plugin-context.js';
import { runProcess } from '../shared/process-runner.js';
import { findExecutable } from './find-executable.js';
import type { OciResourceLimits, OciSpec } from './oci-spec.js';
import type { Runtime, RuntimeCommand, RuntimeInfo, RuntimeState } from './runtime.js';
import type { RuntimeExecOptions, RuntimeExecProcess } from './runtime-exec.js';
import { spawnRuntimeExec } from './spawn-runtime-exec.js';
import { isRuncNotFound, runtimeError, runtimeErrorMessage } from './runtime-error.js';

/** Where an OCI runtime's binary is and where it keeps its state. */
export interface OciRuntimeOptions {
  /** Absolute path of the binary, or undefined when it is not installed. */
  path: string | undefined;
  /**
   * The runtime's `--root`: its state directory. A private one keeps the engine's containers apart from those of
   * other users of the same runtime (podman, a hand-run `runc list`).
   */
  root: string;
  /** Extra global arguments from the plugin's configuration (`"args": ["--debug"]`). */
  args?: string[];
}

/**
 * The OCI runtime command line (`runtime-spec/runtime.md`: state, start, kill, delete; plus `--version` and
 * `features`) shared by runc, crun and their kin. A runtime plugin subclasses it, naming its binary and overriding
 * the quirks ({@link isNotFoundMessage}, {@link adaptSpec}); `create` is not here because the supervisor's monitor,
 * not the engine, runs it (see {@link Runtime}).
 */
@injectable()
export abstract class OciRuntimeBase implements Runtime {
  abstract readonly id: string;

  constructor(protected readonly options: OciRuntimeOptions) {}

  /**
   * Options from a plugin's context: binary from `config.path` or PATH, state under the plugin's state dir, extra
   * global arguments from `config.args`.
   */
  static optionsFrom(context: PluginContext, binaryName: string): OciRuntimeOptions {
    const configured = typeof context.config.path === 'string' ? context.config.path : binaryName;
    const args = Array.isArray(context.config.args) ? context.config.args.map(String) : [];
    return { path: findExecutable(configured), root: context.stateDir, args };
  }

  async probe(): Promise<void> {
    if (!this.options.path) {
      throw new PluginSkipError(`runtime ${this.id}: binary not found in PATH (set "path" in the plugin's configuration)`);
    }
    await this.version();
  }

  async info(): Promise<RuntimeInfo> {
    const [version, features] = await Promise.all([this.version(), this.features()]);
    return { id: this.id, path: this.binary(), version, features };
  }

  command(): RuntimeCommand {
    return { path: this.binary(), args: ['--root', this.options.root, ...(this.options.args ?? [])] };
  }

  /** The spec as this runtime takes it. The default takes it unchanged; a runtime lacking a feature drops it. */
  adaptSpec(spec: OciSpec): OciSpec {
    return spec;
  }

  async start(id: string): Promise<void> {
    await this.run(['start', id], `start task ${id}`);
  }

  async kill(id: string, signal: string, options: { all?: boolean } = {}): Promise<void> {
    await this.run(['kill', ...(options.all ? ['--all'] : []), id, signal], `kill task ${id}`);
  }

  async pause(id: string): Promise<void> {
    await this.run(['pause', id], `pause task ${id}`);
  }

  async resume(id: string): Promise<void> {
    await this.run(['resume', id], `resume task ${id}`);
  }

  /** runc's `update` flags, which crun shares; `--resources` would need a file or stdin for the same effect. */
  async update(id: string, resources: OciResourceLimits): Promise<void> {
    const { memory = {}, cpu = {}, pids } = resources;
    const flags: [string, number | string | undefined][] = [
      ['--memory', memory.limit], ['--memory-reservation', memory.reservation], ['--memory-swap', memory.swap],
      ['--cpu-share', cpu.shares], ['--cpu-period', cpu.period], ['--cpu-quota', cpu.quota],
      ['--cpuset-cpus', cpu.cpus], ['--cpuset-mems', cpu.mems], ['--pids-limit', pids?.limit],
    ];
    const args = flags.flatMap(([flag, value]) => (value === undefined ? [] : [`${flag}=${value}`]));
    if (args.length > 0) await this.run(['update', ...args, id], `update task ${id}`);
  }

  async state(id: string): Promise<RuntimeState | undefined> {
    try {
      const state = JSON.parse(await this.run(['state', id], `state of task ${id}`)) as RuntimeState;
      return { id: state.id, status: state.status, pid: state.pid, bundle: state.bundle };
    } catch (error) {
      if ((error as EngineError).code === 'not-found') return undefined;
      throw error;
    }
  }

  /** `exec --process`, through {@link command} like every other command, so a wrapped runtime is wrapped here too. */
  exec(id: string, options: RuntimeExecOptions): Promise<RuntimeExecProcess> {
    return spawnRuntimeExec({
      ...options,
      command: this.command(),
      taskId: id,
      what: `runtime ${this.id}`,
      isNotFound: (m) => this.isNotFoundMessage(m),
    });
  }

  async delete(id: string, options: { force?: boolean } = {}): Promise<void> {
    try {
      await this.run(['delete', ...(options.force ? ['--force'] : []), id], `delete task ${id}`);
    } catch (error) {
      // Deleting is how the engine forgets a task; one the runtime already forgot is deleted enough.
      if ((error as EngineError).code !== 'not-found') throw error;
    }
  }

  /** The first line of `--version`: `runc version 1.1.5+ds1`. */
  protected async version(): Promise<string> {
    const output = await this.runBinary(this.binary(), ['--version'], 'version');
    return output.split('\n')[0]?.trim() ?? '';
  }

  /** `features` output (runtime-spec `features.md`), or undefined for runtimes without the command. */
  protected async features(): Promise<unknown> {
    try {
      return JSON.parse(await this.run(['features'], 'features'));
    } catch {
      return undefined;
    }
  }

  /** Whether an error message says the container id is unknown; runtimes word it differently. */
  protected isNotFoundMessage(message: string): boolean {
    return isRuncNotFound(message);
  }

  /**
   * Runs a command the way a monitor does, through {@link command}: a runtime that must run inside a wrapper
   * (crun on a hybrid cgroup host) gets its state, kill and delete run inside it too.
   */
  protected run(args: string[], what: string): Promise<string> {
    const command = this.command();
    return this.runBinary(command.path, [...command.args, ...args], what);
  }

  private async runBinary(path: string, args: string[], what: string): Promise<string> {
    try {
      return (await runProcess(path, args)).stdout;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      const message = runtimeErrorMessage(stderr) || runtimeErrorMessage(stdout) || (error as Error).message;
      throw runtimeError(`runtime ${this.id}: ${what}`, message, {
        cause: error,
        isNotFound: (m) => this.isNotFoundMessage(m),
      });
    }
  }

  private binary(): string {
    if (!this.options.path) {
      throw new FailedPreconditionError(`runtime ${this.id}: binary not found`, {
        hint: `install ${this.id} or set "path" in the plugin's configuration`,
      });
    }
    return this.options.path;
  }
}
