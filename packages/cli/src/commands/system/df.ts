// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';
import { diskUsageDetail, diskUsageSummary } from '../../format/disk-usage-format.js';

export default class SystemDf extends EngineCommand {
  static override summary = 'Show engine disk usage';
  static override flags = {
    verbose: Flags.boolean({ char: 'v', description: 'show detailed information on space usage' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SystemDf);
    const client = await this.connect(flags);
    const usage = await client.diskUsage();
    process.stdout.write(flags.verbose ? diskUsageDetail(usage) : diskUsageSummary(usage));
  }
}
