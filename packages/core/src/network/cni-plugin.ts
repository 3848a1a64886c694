// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import { InternalError } from '../errors/engine-error.js';
import { ProcessFailedError, runProcess } from '../shared/process-runner.js';

/** Where Debian's `containernetworking-plugins` installs the plugins. */
export const DEFAULT_CNI_PATH = '/usr/lib/cni';

export const CNI_VERSION = '1.0.0';

/** The result of a CNI ADD (spec 1.0), as much of it as the engine reads. */
export interface CniResult {
  cniVersion: string;
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: { address: string; gateway?: string; interface?: number }[];
  routes?: { dst: string; gw?: string }[];
  dns?: Record<string, unknown>;
}

/** One plugin call: which container, which namespace and interface, and the network config on stdin. */
export interface CniInvocation {
  command: 'ADD' | 'DEL' | 'CHECK';
  containerId: string;
  netns: string;
  ifname: string;
  config: Record<string, unknown> & { type: string };
}

/**
 * Runs a CNI plugin the way the CNI spec says a runtime does: `CNI_*` variables in the environment, the network
 * configuration as JSON on stdin, the result (or `{code, msg}`) as JSON on stdout.
 */
export class CniPlugin {
  constructor(private readonly cniPath = DEFAULT_CNI_PATH) {}

  async invoke(invocation: CniInvocation): Promise<CniResult> {
    const { command, containerId, netns, ifname, config } = invocation;
    const env = {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      CNI_COMMAND: command,
      CNI_CONTAINERID: containerId,
      CNI_NETNS: netns,
      CNI_IFNAME: ifname,
      CNI_PATH: this.cniPath,
    };
    const input = JSON.stringify({ cniVersion: CNI_VERSION, ...config });
    let stdout: string;
    try {
      ({ stdout } = await runProcess(join(this.cniPath, config.type), [], { env, input }));
    } catch (error) {
      if (!(error instanceof ProcessFailedError)) throw new InternalError(`cni ${config.type}: ${(error as Error).message}`, { cause: error });
      const reason = parseCniError(error.stdout) ?? (error.stderr.trim() || `exit status ${error.code ?? error.signal}`);
      throw new InternalError(`cni ${config.type} ${command.toLowerCase()} for ${containerId.slice(0, 12)}: ${reason}`, { cause: error });
    }
    return command === 'ADD' ? (JSON.parse(stdout) as CniResult) : { cniVersion: CNI_VERSION };
  }
}

function parseCniError(stdout: string): string | undefined {
  try {
    const error = JSON.parse(stdout) as { msg?: string; details?: string };
    return [error.msg, error.details].filter(Boolean).join(': ') || undefined;
  } catch {
    return undefined;
  }
}
