// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { InternalError } from '../errors/engine-error.js';
import { hostTool } from '../runtime/find-executable.js';

/** Runs a host tool (`ip`, `iptables`, `unshare`, `umount`) and returns its stdout; fails with its stderr. */
export function hostCommand(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(hostTool(command), args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new InternalError(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`, { cause: error }));
      else resolve(stdout);
    });
  });
}
