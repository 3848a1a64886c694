// SPDX-License-Identifier: Apache-2.0
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './fixture-registry.js';
import { teardownEngineNetworks } from './host-network.js';
import { expectSuccess, runProcess, type ProcessResult } from './run-process.js';
import type { Terminal, TmuxTerminals } from './tmux-terminal.js';

const CLI = join(REPO_ROOT, 'packages/cli/bin/run.js');

export type CliResult = ProcessResult;

/**
 * A real tsc-engine daemon in its own data root, exec root and socket, started through the CLI as a user would.
 * It can be SIGKILLed and started again on the same directories, which is how tests prove containers outlive it.
 */
export class EngineDaemon {
  private child?: ChildProcess;
  log = '';

  /** `env`: extra environment for the daemon and every CLI run (`TSC_ENGINE_DATA_DIR`, npm settings). */
  private constructor(readonly dir: string, private readonly env: NodeJS.ProcessEnv = {}) {}

  /** `config`: more daemon.json settings (`registry-mirrors`, `plugins`, …). */
  static async start(options: { env?: NodeJS.ProcessEnv; config?: Record<string, unknown> } = {}): Promise<EngineDaemon> {
    const daemon = new EngineDaemon(await mkdtemp(join(tmpdir(), 'tsc-engine-e2e-')), options.env);
    // Its own default bridge, so daemons of parallel test runs never share one; no DNS forwarding off the host.
    await mkdir(daemon.dataRoot, { recursive: true });
    await writeFile(join(daemon.dataRoot, 'daemon.json'), JSON.stringify({ bridge: `tsc${randomBytes(4).toString('hex')}`, dns: [], ...options.config }));
    await daemon.launch();
    return daemon;
  }

  get socketPath(): string {
    return join(this.dir, 'engine.sock');
  }

  get dataRoot(): string {
    return join(this.dir, 'data');
  }

  get execRoot(): string {
    return join(this.dir, 'exec');
  }

  async launch(): Promise<void> {
    const child = spawn(
      process.execPath,
      [CLI, 'daemon', '--host', this.socketPath, '--data-root', this.dataRoot, '--exec-root', this.execRoot],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...this.env } },
    );
    child.stdout!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    this.child = child;
    const deadline = Date.now() + 20_000;
    while (!(await this.answers())) {
      if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}:\n${this.log}`);
      if (Date.now() > deadline) throw new Error(`daemon did not answer within 20 s:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills the daemon as a crash would: no chance to clean up. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  /** Where this daemon's CLIs keep compose state (locks, records, events), unless `env` names another store. */
  get stateDir(): string {
    return join(this.dir, 'state');
  }

  /** Runs the CLI against this daemon (never autostarting another). */
  cli(args: string[], options: { input?: string } = {}): Promise<CliResult> {
    return runProcess(process.execPath, [CLI, ...args], {
      env: { ...process.env, TSC_ENGINE_STATE: this.stateDir, ...this.env, TSC_ENGINE_HOST: this.socketPath, TSC_ENGINE_NO_AUTOSTART: '1' },
      // stdin is a pipe even without input (ended at once), as for a CLI at the end of a shell pipeline.
      input: options.input ?? '',
    });
  }

  /** Runs the CLI as `cli` does, failing the test unless it exits 0; its stdout. */
  async cliOk(args: string[], options: { input?: string } = {}): Promise<string> {
    return expectSuccess(`tsc-engine ${args.join(' ')}`, await this.cli(args, options));
  }

  /** Runs the CLI against this daemon on a new terminal of `terminals` (TTY code paths); a failure shows the daemon's log. */
  terminal(terminals: TmuxTerminals, args: string[]): Promise<Terminal> {
    return terminals.open(`${process.execPath} ${CLI}`, args, {
      env: { TSC_ENGINE_STATE: this.stateDir, TSC_ENGINE_HOST: this.socketPath, TSC_ENGINE_NO_AUTOSTART: '1' },
      context: () => `--- daemon log:\n${this.log.slice(-3000)}`,
    });
  }

  /** Removes every container (force), stops the daemon and deletes its directories. */
  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      const ids = (await this.cli(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await this.cli(['rm', '-f', ...ids]);
      this.child.kill('SIGTERM');
      await once(this.child, 'exit');
    }
    await teardownEngineNetworks(this.dataRoot);
    await rm(this.dir, { recursive: true, force: true });
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = request({ socketPath: this.socketPath, path: '/_ping', method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
  }
}
