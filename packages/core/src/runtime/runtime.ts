// SPDX-License-Identifier: Apache-2.0
import type { OciResourceLimits, OciSpec } from './oci-spec.js';
import type { RuntimeExecOptions, RuntimeExecProcess } from './runtime-exec.js';

/**
 * An OCI runtime (runc, crun, …) as the engine drives it.
 *
 * Vocabulary: a *bundle* is a directory holding `config.json` (an {@link OciSpec}) and the container's root
 * filesystem; a *task* is the running instance of a container. The engine never runs the runtime's `create` itself:
 * the supervisor's per-container monitor does, so that the monitor, not the daemon, is the parent of the container.
 * The engine then calls {@link start}, {@link kill}, {@link state} and {@link delete} by task id.
 *
 * Lifecycle: monitor runs `<command> create --bundle B id` → `start(id)` → process runs → `kill(id, 'TERM')` →
 * monitor records the exit code → `delete(id)`.
 */
export interface Runtime {
  /** Short name users select it by: `--runtime runc`. */
  readonly id: string;
  /** Throws {@link PluginSkipError} when the runtime cannot work on this host. */
  probe(): Promise<void>;
  /** Binary, version and features, for `info`. */
  info(): Promise<RuntimeInfo>;
  /** How a monitor invokes this runtime: an executable and the global arguments placed before each command. */
  command(): RuntimeCommand;
  /** Adapts a spec to what this runtime supports on this host; called before the bundle is written. */
  adaptSpec(spec: OciSpec): OciSpec;
  start(id: string): Promise<void>;
  /** Sends a signal (name without `SIG` or number) to the task's init process, or to all its processes. */
  kill(id: string, signal: string, options?: { all?: boolean }): Promise<void>;
  state(id: string): Promise<RuntimeState | undefined>;
  /**
   * Runs another process in a running task (`docker exec`, healthchecks). The caller's process is its parent:
   * an exec is as long-lived as the request that runs it.
   */
  exec(id: string, options: RuntimeExecOptions): Promise<RuntimeExecProcess>;
  /** Freezes every process of the task (the cgroup freezer): `docker pause`. */
  pause(id: string): Promise<void>;
  /** Thaws a task {@link pause} froze. */
  resume(id: string): Promise<void>;
  /** Changes the cgroup limits of a running task (`runc update`), those given and no others: `docker update`. */
  update(id: string, resources: OciResourceLimits): Promise<void>;
  /** Removes the runtime's record of the task. `force` also kills a task that still runs. */
  delete(id: string, options?: { force?: boolean }): Promise<void>;
}

/** DI token for {@link Runtime}; the contribution a `tsc-engine.runtime.v1` plugin binds. */
export const Runtime = Symbol.for('tsc-engine:Runtime');

export interface RuntimeCommand {
  path: string;
  args: string[];
}

export interface RuntimeInfo {
  id: string;
  path: string;
  version: string;
  /** The output of `<runtime> features`, where the runtime has that command. */
  features?: unknown;
}

/** The runtime's view of a task (`runc state`). */
export interface RuntimeState {
  id: string;
  status: 'creating' | 'created' | 'running' | 'stopped' | 'paused';
  pid: number;
  bundle: string;
}
