// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { NotFoundError } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';

export default class Port extends EngineCommand {
  static override summary = 'List port mappings or a specific mapping for the container';
  static override usage = 'port CONTAINER [PRIVATE_PORT[/PROTO]]';
  static override args = {
    container: Args.string({ required: true, description: 'container name or id' }),
    port: Args.string({ description: 'private port, optionally with /tcp or /udp' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Port);
    const client = await this.connect(flags);
    const { NetworkSettings } = await client.inspectContainer(args.container);
    const ports = (NetworkSettings.Ports ?? {}) as Record<string, { HostIp: string; HostPort: string }[] | null>;
    if (args.port) {
      const key = args.port.includes('/') ? args.port : `${args.port}/tcp`;
      const bindings = ports[key];
      if (!bindings?.length) throw new NotFoundError(`No public port '${key}' published for ${args.container}`);
      for (const b of bindings) this.log(`${b.HostIp}:${b.HostPort}`);
      return;
    }
    for (const [key, bindings] of Object.entries(ports)) for (const b of bindings ?? []) this.log(`${key} -> ${b.HostIp}:${b.HostPort}`);
  }
}
