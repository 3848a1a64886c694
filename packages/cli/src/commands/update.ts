// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { parseRestartPolicy } from '@tsc-engine/core/client';
import { resourceFlags, resourcesFromFlags } from '../resource-flags.js';
import { EngineCommand } from '../engine-command.js';

const { 'oom-kill-disable': _createOnly, ...updatableFlags } = resourceFlags;

export default class Update extends EngineCommand {
  static override summary = 'Update configuration of one or more containers';
  static override description = 'New limits apply at once to a running container, and to every later start.';
  static override examples = ['<%= config.bin %> update --memory 256m --memory-swap 512m web', '<%= config.bin %> update --restart always web'];
  // As docker's update: the OOM killer is chosen at create only.
  static override flags = {
    ...updatableFlags,
    restart: Flags.string({ description: 'restart policy to apply when a container exits' }),
  };
  static override args = { container: Args.string({ required: true, description: 'container name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Update);
    const client = await this.connect(flags);
    const update = { ...resourcesFromFlags(flags), RestartPolicy: flags.restart === undefined ? undefined : parseRestartPolicy(flags.restart) };
    await this.forEachTarget(argv as string[], async (container) => {
      const { Warnings } = await client.updateContainer(container, update);
      for (const warning of Warnings ?? []) process.stderr.write(`WARNING: ${warning}\n`);
      this.log(container);
    });
  }
}
