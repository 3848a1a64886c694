// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { Command } from '@oclif/core/command';
import type { Interfaces } from '@oclif/core';
import { DOCKER_HUB_CREDENTIALS_KEY, DockerConfigCredentials, credentialsKey } from '@tsc-engine/core/client';
import { formatEngineError, isEngineError } from '../engine-command.js';

/** Needs no daemon: credentials live on the client's side, as with docker. */
export default class Logout extends Command {
  static override summary = 'Log out from a registry';
  static override args = { server: Args.string({ description: 'registry host [default: Docker Hub]', ignoreStdin: true }) };

  async run(): Promise<void> {
    const { args } = await this.parse(Logout);
    const server = args.server ?? DOCKER_HUB_CREDENTIALS_KEY;
    if (await new DockerConfigCredentials().erase(server)) this.log(`Removing login credentials for ${credentialsKey(server)}`);
    else this.log(`Not logged in to ${server}`);
  }

  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    if (isEngineError(error)) {
      process.stderr.write(formatEngineError(error));
      this.exit(1);
    }
    return super.catch(error);
  }
}
