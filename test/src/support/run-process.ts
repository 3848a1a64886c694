// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end and collects its output; `input`, when given, is written to its stdin. */
export function runProcess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin?.end(options.input);
  });
}

/**
 * `result`'s stdout, failing the test unless the command exited 0: the failure names it (`command`, as a person would
 * type it) and shows what it printed, so a failed set-up step reads as itself, not as a later mismatch.
 */
export function expectSuccess(command: string, result: ProcessResult): string {
  const stdout = result.stdout ? `\n(stdout: ${result.stdout.trimEnd()})` : '';
  assert.equal(result.code, 0, `${command} exited with ${result.code}: ${result.stderr.trimEnd()}${stdout}`);
  return result.stdout;
}

/** Ends a child with SIGTERM, or SIGKILL when it is still there 5 s later; a child already gone is left as it is. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
