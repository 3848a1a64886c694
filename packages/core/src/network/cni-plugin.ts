// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { InternalError } from '../errors/engine-error.js';

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
    const child = spawn(join(this.cniPath, config.type), [], {
      env: {
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        CNI_COMMAND: command,
        CNI_CONTAINERID: containerId,
        CNI_NETNS: netns,
        CNI_IFNAME: ifname,
        CNI_PATH: this.cniPath,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(JSON.stringify({ cniVersion: CNI_VERSION, ...config }));
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', (error) => reject(new InternalError(`cni ${config.type}: ${error.message}`, { cause: error })));
      child.on('close', (status) => resolve(status ?? -1));
    });
    if (code !== 0) {
      const reason = parseCniError(stdout) ?? (stderr.trim() || `exit status ${code}`);
      throw new InternalError(`cni ${config.type} ${command.toLowerCase()} for ${containerId.slice(0, 12)}: ${reason}`);
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
