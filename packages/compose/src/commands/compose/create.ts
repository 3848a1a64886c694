// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { buildFlags, buildPolicyOf } from '../../build-flags.js';
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { toPullPolicy } from '../../convergence/image-pull.js';
import { parseScaleFlags } from '../../scale-flags.js';

export default class ComposeCreate extends ComposeEngineCommand {
  static override summary = 'Create the containers of the project without starting them';
  static override strict = false;
  static override usage = 'compose create [OPTIONS] [SERVICE...]';
  static override flags = {
    scale: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'SERVICE=NUM: replicas of a service (repeatable)' }),
    'remove-orphans': Flags.boolean({ description: 'remove containers of services not in the compose files' }),
    'force-recreate': Flags.boolean({ description: 'recreate containers even when nothing changed', exclusive: ['no-recreate'] }),
    'no-recreate': Flags.boolean({ description: 'keep existing containers even when their configuration changed' }),
    pull: Flags.string({ description: 'pull images: always, missing (default) or never', options: ['always', 'missing', 'never'] }),
    ...buildFlags,
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeCreate);
    const services = argv as string[];
    const scale = parseScaleFlags(flags.scale ?? []);
    await this.changeProject(await this.loadProject(flags), flags, 'create', { services, desired: 'created', scale }, (converger) =>
      converger.create({
        services,
        scale,
        forceRecreate: flags['force-recreate'],
        noRecreate: flags['no-recreate'],
        removeOrphans: flags['remove-orphans'],
        pull: flags.pull === undefined ? undefined : toPullPolicy(flags.pull),
        build: buildPolicyOf(flags),
      }),
    );
  }
}
