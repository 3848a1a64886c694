// SPDX-License-Identifier: Apache-2.0
import { InternalError } from '../errors/engine-error.js';
import { hostTool } from '../runtime/find-executable.js';
import { ProcessFailedError, runProcess } from '../shared/process-runner.js';

/**
 * Runs a host tool (`ip`, `iptables`, `unshare`, `umount`), with `input` on its stdin if given, and returns its
 * stdout; fails with its stderr.
 */
export async function hostCommand(command: string, args: string[], input?: string): Promise<string> {
  try {
    return (await runProcess(hostTool(command), args, { input })).stdout;
  } catch (error) {
    const stderr = error instanceof ProcessFailedError ? error.stderr.trim() : '';
    throw new InternalError(`${command} ${args.join(' ')}: ${stderr || (error as Error).message}`, { cause: error });
  }
}

/** Whether `ip` failed because the device is gone already (deleted with its namespace, or by an earlier attempt). */
export function isMissingDevice(error: Error): boolean {
  return /Cannot find device|does not exist/i.test(error.message);
}
