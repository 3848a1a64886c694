// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';
import { renderInspected } from '../../inspect-output.js';

export default class NetworkInspect extends EngineCommand {
  static override summary = 'Display detailed information on one or more networks';
  static override flags = {
    format: Flags.string({ char: 'f', description: "Go template such as '{{.IPAM.Config}}', or 'json'" }),
  };
  static override args = { network: Args.string({ required: true, description: 'network name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(NetworkInspect);
    const client = await this.connect(flags);
    const found: unknown[] = [];
    try {
      await this.forEachTarget(argv as string[], async (network) => {
        found.push(await client.inspectNetwork(network));
      });
    } finally {
      process.stdout.write(renderInspected(found, flags.format));
    }
  }
}
