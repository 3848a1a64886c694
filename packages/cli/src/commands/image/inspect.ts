// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';
import { renderInspected } from '../../inspect-output.js';

export default class ImageInspect extends EngineCommand {
  static override summary = 'Show detailed information on one or more images';
  static override flags = { format: Flags.string({ char: 'f', description: "Go template such as '{{.Config.Cmd}}', or 'json'" }) };
  static override args = { image: Args.string({ required: true, description: 'image name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ImageInspect);
    const client = await this.connect(flags);
    const found: unknown[] = [];
    try {
      await this.forEachTarget(argv as string[], async (image) => {
        found.push(await client.inspectImage(image));
      });
    } finally {
      process.stdout.write(renderInspected(found, flags.format));
    }
  }
}
