// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';
import { renderInspected } from '../../inspect-output.js';

export default class VolumeInspect extends EngineCommand {
  static override summary = 'Display detailed information on one or more volumes';
  static override flags = { format: Flags.string({ char: 'f', description: "Go template such as '{{.Mountpoint}}', or 'json'" }) };
  static override args = { volume: Args.string({ required: true, description: 'volume name (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(VolumeInspect);
    const client = await this.connect(flags);
    const found: unknown[] = [];
    try {
      await this.forEachTarget(argv as string[], async (name) => {
        found.push(await client.inspectVolume(name));
      });
    } finally {
      process.stdout.write(renderInspected(found, flags.format));
    }
  }
}
