// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { renderTable } from '@tsc-engine/core/client';
import { EngineCommand } from '../../engine-command.js';

export default class SystemPlugins extends EngineCommand {
  static override summary = 'List the engine plugins the daemon loaded, skipped or failed to load';
  static override description =
    "Engine plugins (runtimes, registries, …) as the running daemon sees them. oclif's own `plugins` commands install and link the packages that carry them.";
  static override flags = {
    json: Flags.boolean({ description: 'print the list as JSON' }),
    reload: Flags.boolean({ description: 'have the daemon load newly installed or linked plugins first (`plugins link` does not ask it to)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SystemPlugins);
    const client = await this.connect(flags);
    const plugins = flags.reload ? await client.reloadPlugins() : ((await client.info()).Plugins?.Engine ?? []);
    if (flags.json) {
      this.log(JSON.stringify(plugins, null, 2));
      return;
    }
    process.stdout.write(
      renderTable([
        ['TYPE', 'ID', 'PACKAGE', 'VERSION', 'STATUS', 'REASON'],
        ...plugins.map((p) => [p.type, p.id, p.package, p.version, p.status, p.reason ?? '']),
      ]),
    );
  }
}
