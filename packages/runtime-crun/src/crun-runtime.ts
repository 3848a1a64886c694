// SPDX-License-Identifier: Apache-2.0
import {
  OciRuntimeBase,
  PluginSkipError,
  detectCgroupMode,
  findExecutable,
  type CgroupMode,
  type OciRuntimeOptions,
  type OciSpec,
  type PluginContext,
  type RuntimeCommand,
} from '@tsc-engine/core';
import { injectable } from '@tsc-engine/core/shared/inversify';

export interface CrunRuntimeOptions extends OciRuntimeOptions {
  /** How the host mounts cgroups; detected when left out. */
  cgroupMode?: CgroupMode;
  /** `unshare`, needed on hybrid hosts (undefined: not installed); looked up in PATH when the key is left out. */
  unsharePath?: string;
}

/**
 * Runs crun in a private mount namespace whose /sys/fs/cgroup is the host's cgroup v2 hierarchy, then execs crun
 * with the arguments that follow (`$0` is a name for `ps`). The mount is private to that namespace (unshare makes
 * mounts private by default), so the host's cgroup layout is untouched.
 */
const HYBRID_SHELL = 'mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec "$@"';

/**
 * crun, a fast OCI runtime written in C. crun 1.8 refuses hybrid cgroup hosts (v1 controllers plus a v2
 * hierarchy: "cgroups in hybrid mode not supported, drop all controllers from cgroupv2"). On such hosts every crun
 * command, the monitor's `create` included, runs through {@link HYBRID_SHELL}, which shows crun a pure cgroup v2
 * host. The host's v2 hierarchy has no controllers there, so the spec's `linux.resources` are dropped: crun would
 * otherwise fail applying them (device rules need a BPF program it cannot load under the host's memlock limit).
 * Unified and legacy hosts run crun directly, with resources.
 */
@injectable()
export class CrunRuntime extends OciRuntimeBase {
  readonly id = 'crun';
  readonly cgroupMode: CgroupMode;
  private readonly unsharePath?: string;

  constructor(options: CrunRuntimeOptions) {
    super(options);
    this.cgroupMode = options.cgroupMode ?? detectCgroupMode();
    this.unsharePath = 'unsharePath' in options ? options.unsharePath : findExecutable('unshare');
  }

  static fromContext(context: PluginContext): CrunRuntime {
    return new CrunRuntime(OciRuntimeBase.optionsFrom(context, 'crun'));
  }

  override async probe(): Promise<void> {
    if (this.cgroupMode === 'hybrid' && !this.unsharePath) {
      throw new PluginSkipError('runtime crun: this host has hybrid cgroups, which crun runs in only through unshare, not found in PATH');
    }
    await super.probe();
  }

  override command(): RuntimeCommand {
    const direct = super.command();
    if (this.cgroupMode !== 'hybrid' || !this.unsharePath) return direct;
    return { path: this.unsharePath, args: ['--mount', '--', '/bin/sh', '-c', HYBRID_SHELL, 'crun-hybrid', direct.path, ...direct.args] };
  }

  override adaptSpec(spec: OciSpec): OciSpec {
    if (this.cgroupMode !== 'hybrid') return spec;
    const { resources: _dropped, ...linux } = spec.linux;
    return { ...spec, linux };
  }

  /** crun 1.8 says an id is unknown by failing to open its state: `error opening file `<root>/<id>/status`: …`. */
  protected override isNotFoundMessage(message: string): boolean {
    return super.isNotFoundMessage(message) || /^(error opening file|cannot open directory) .*: No such file or directory$/i.test(message);
  }
}
