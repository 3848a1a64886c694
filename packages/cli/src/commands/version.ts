// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { API_VERSION, type SystemVersion } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';
import { keyValueLines } from '../format/key-value-lines.js';

const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386' };

export default class Version extends EngineCommand {
  static override summary = 'Show the client and daemon versions';
  static override flags = { format: Flags.string({ char: 'f', description: "'json' for machine-readable output" }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(Version);
    const client = {
      Version: this.config.version,
      ApiVersion: API_VERSION,
      NodeVersion: process.version,
      Os: process.platform,
      Arch: GO_ARCH[process.arch] ?? process.arch,
    };
    // Like docker, the client half is useful even when no daemon answers, so it is printed first.
    if (flags.format !== 'json') {
      process.stdout.write(
        `Client:\n${keyValueLines(1, [
          ['Version', client.Version],
          ['API version', client.ApiVersion],
          ['Node version', client.NodeVersion],
          ['OS/Arch', `${client.Os}/${client.Arch}`],
        ])}\n`,
      );
    }
    const server = await (await this.connect(flags)).version();
    if (flags.format === 'json') this.log(JSON.stringify({ Client: client, Server: server }));
    else process.stdout.write(renderServer(server));
  }
}

function renderServer(server: SystemVersion): string {
  let text = `Server: ${server.Platform?.Name ?? ''}\n Engine:\n`;
  text += keyValueLines(2, [
    ['Version', server.Version],
    ['API version', `${server.ApiVersion} (minimum version ${server.MinAPIVersion})`],
    ['Node version', server.GoVersion],
    ['Git commit', server.GitCommit],
    ['Built', server.BuildTime],
    ['OS/Arch', `${server.Os}/${server.Arch}`],
    ['Experimental', server.Experimental],
  ]);
  for (const component of server.Components ?? []) {
    if (component.Name === 'Engine') continue;
    text += ` ${component.Name}:\n${keyValueLines(2, [['Version', component.Version], ...Object.entries(component.Details ?? {})])}`;
  }
  return text;
}
