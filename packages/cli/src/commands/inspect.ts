// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { isNotFound, NotFoundError, type EngineClient } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';
import { renderInspected } from '../inspect-output.js';

export default class Inspect extends EngineCommand {
  static override summary = 'Show low-level information on containers or images';
  static override flags = {
    format: Flags.string({ char: 'f', description: "Go template such as '{{.State.Status}}', or 'json'" }),
    type: Flags.string({ description: 'only look for this kind of object', options: ['container', 'image'] }),
  };
  static override args = { name: Args.string({ required: true, description: 'container or image name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Inspect);
    const client = await this.connect(flags);
    const found: unknown[] = [];
    try {
      await this.forEachTarget(argv as string[], async (name) => {
        found.push(await inspectAny(client, name, flags.type));
      });
    } finally {
      process.stdout.write(renderInspected(found, flags.format));
    }
  }
}

/** A container by that name, else an image (docker's order), unless `type` narrows it. */
async function inspectAny(client: EngineClient, name: string, type: string | undefined): Promise<unknown> {
  if (type === 'image') return client.inspectImage(name);
  try {
    return await client.inspectContainer(name);
  } catch (error) {
    if (type === 'container' || !isNotFound(error)) throw error;
  }
  try {
    return await client.inspectImage(name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new NotFoundError(`No such object: ${name}`, { cause: error });
  }
}
