// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { Command } from '@oclif/core/command';
import { Config } from '@oclif/core/config';
import * as Flags from '@oclif/core/flags';
import type { Interfaces } from '@oclif/core';
import { DEFAULT_DATA_ROOT, DEFAULT_EXEC_ROOT, DEFAULT_SOCKET_PATH } from '@tsc-engine/core/client';
import { formatEngineError, isEngineError, socketPathOf } from '../engine-command.js';
import { toPluginPackages } from '../plugin-packages.js';

export default class Daemon extends Command {
  static override summary = 'Run the tsc-engine daemon in the foreground';
  static override description =
    'Serves the Docker Engine API on a unix socket and logs to stderr. Flags override <data-root>/daemon.json. Containers keep running when the daemon stops; the next daemon picks them up. SIGHUP loads newly installed plugins (as `plugins install` asks it to).';
  static override flags = {
    host: Flags.string({ env: 'TSC_ENGINE_HOST', description: `unix socket to serve the API on [default: ${DEFAULT_SOCKET_PATH}]` }),
    'data-root': Flags.string({ env: 'TSC_ENGINE_DATA_ROOT', description: `persistent state: images, containers [default: ${DEFAULT_DATA_ROOT}]` }),
    'exec-root': Flags.string({ env: 'TSC_ENGINE_EXEC_ROOT', description: `state that does not outlive a reboot [default: ${DEFAULT_EXEC_ROOT}]` }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Daemon);
    // Imported here so client commands never load the daemon's modules (and their DI container).
    const { runDaemon } = await import('@tsc-engine/core/daemon');
    const daemon = await runDaemon({
      socketPath: flags.host === undefined ? undefined : socketPathOf(flags.host),
      dataRoot: flags['data-root'],
      execRoot: flags['exec-root'],
      plugins: toPluginPackages(this.config.getPluginsList()),
      // A fresh oclif config sees what `plugins:install` added to the plugin directory since this one loaded.
      discoverPlugins: async () => toPluginPackages((await Config.load(this.config.root)).getPluginsList()),
    });
    const reload = (): void => void daemon.reloadPlugins().catch((error: Error) => process.stderr.write(`plugin reload failed: ${error.message}\n`));
    process.on('SIGHUP', reload);
    const stop = new AbortController();
    const signal = await Promise.race([once(process, 'SIGINT', { signal: stop.signal }), once(process, 'SIGTERM', { signal: stop.signal })]);
    stop.abort();
    process.off('SIGHUP', reload);
    process.stderr.write(`${new Date().toISOString()} received ${signal[0] ?? 'signal'}, shutting down\n`);
    await daemon.close();
  }

  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    if (isEngineError(error)) {
      process.stderr.write(formatEngineError(error));
      this.exit(1);
    }
    return super.catch(error);
  }
}
