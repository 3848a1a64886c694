// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { expectSuccess, runProcess } from './run-process.js';

/** A program running on a real pseudo-terminal: what it shows, keys typed into it. */
export interface Terminal {
  /** The visible screen, wrapped lines joined. */
  screen(): Promise<string>;
  /** tmux key names (`Enter`, `C-p`) or literal text. */
  type(...keys: string[]): Promise<void>;
  /** Polls the screen until `pattern` matches; fails with the screen and `context()` when it never does. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export interface TerminalOptions {
  env?: Record<string, string>;
  rows?: number;
  columns?: number;
  /** Appended to a failure's message, e.g. the daemon's log. */
  context?: () => string;
}

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Terminals on a tmux server of their own, so nothing of the user's tmux is touched and `stop()` ends them all.
 * tmux gives the program a real pty with a size, which is what TTY code paths (raw mode, resize, redraw) need.
 */
export class TmuxTerminals {
  private readonly server = `tsc-test-${randomBytes(4).toString('hex')}`;
  private started?: Promise<string>;

  private async tmux(...args: string[]): Promise<string> {
    return expectSuccess(`tmux ${args[0]}`, await runProcess('tmux', ['-L', this.server, ...args]));
  }

  /** Runs `program args…` on a new terminal; it prints `[exit N]` when the program exits, and stays for reading. */
  async open(program: string, args: string[], options: TerminalOptions = {}): Promise<Terminal> {
    // A session of its own keeps the server up: tmux exits with its last session, and a terminal opened just as the
    // previous one closed would otherwise meet a server on its way out.
    await (this.started ??= this.tmux('new-session', '-d', '-s', 'keeper', 'sleep 86400'));
    const name = `t${randomBytes(3).toString('hex')}`;
    const variables = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${quote(value)}`).join(' ');
    const command = `env ${variables} ${program} ${args.map(quote).join(' ')}; echo "[exit $?]"; sleep 600`;
    await this.tmux('new-session', '-d', '-s', name, '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30), command);
    const screen = () => this.tmux('capture-pane', '-p', '-J', '-t', name);
    return {
      screen,
      type: async (...keys) => {
        await this.tmux('send-keys', '-t', name, ...keys);
      },
      async waitFor(pattern, timeoutMs = 20_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const text = await screen();
          if (pattern.test(text)) return text;
          if (Date.now() > deadline) assert.fail(`terminal never showed ${pattern}:\n${text}\n${options.context?.() ?? ''}`);
          await delay(100);
        }
      },
      close: async () => {
        await runProcess('tmux', ['-L', this.server, 'kill-session', '-t', name]);
      },
    };
  }

  async stop(): Promise<void> {
    await runProcess('tmux', ['-L', this.server, 'kill-server']);
  }
}
