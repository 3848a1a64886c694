// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { NotFoundError, type PortBinding } from '@tsc-engine/core/client';
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { listProjectContainers, ofServices } from '../../convergence/project-containers.js';

export default class ComposePort extends ComposeEngineCommand {
  static override summary = 'Print the host address a port of a service is published on';
  static override args = {
    service: Args.string({ required: true, description: 'service' }),
    port: Args.integer({ required: true, description: 'port inside the container' }),
  };
  static override flags = {
    protocol: Flags.string({ description: 'tcp or udp', options: ['tcp', 'udp'], default: 'tcp' }),
    index: Flags.integer({ description: 'which replica, from 1', default: 1, min: 1 }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(ComposePort);
    const project = await this.loadProject(flags);
    const client = this.connect(flags);
    const container = ofServices(await listProjectContainers(client, project.name), [args.service]).find((c) => c.number === flags.index);
    if (!container) throw new NotFoundError(`service "${args.service}" has no container number ${flags.index}`);
    const ports = (await client.inspectContainer(container.id)).NetworkSettings.Ports as Record<string, PortBinding[] | null>;
    const binding = ports[`${args.port}/${flags.protocol}`]?.[0];
    if (!binding) throw new NotFoundError(`no port ${args.port}/${flags.protocol} published for ${container.name}`);
    process.stdout.write(`${binding.HostIp || '0.0.0.0'}:${binding.HostPort}\n`);
  }
}
