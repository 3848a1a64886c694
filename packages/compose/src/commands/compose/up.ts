// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { InvalidArgumentError } from '@tsc-engine/core/client';
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { convergeFlags, convergeOptionsOf } from '../../converge-flags.js';
import { attachProject } from '../../attach-project.js';

export default class ComposeUp extends ComposeEngineCommand {
  static override summary = 'Create and start the containers of the project';
  static override description =
    'Pulls missing images, creates networks and volumes, recreates only the containers whose configuration or image ' +
    'changed (saying why) and starts everything in dependency order. Without --detach it then prints the logs of the ' +
    'containers until they stop; Ctrl-C stops them.';
  static override strict = false;
  static override usage = 'compose up [OPTIONS] [SERVICE...]';
  static override flags = {
    detach: Flags.boolean({ char: 'd', description: 'run in the background' }),
    wait: Flags.boolean({ description: 'wait for services to be running, or healthy when they have a healthcheck (implies --detach)' }),
    'wait-timeout': Flags.integer({ description: 'seconds --wait waits at most', min: 1 }),
    ...convergeFlags,
    'abort-on-container-exit': Flags.boolean({ description: 'stop every container when one stops (implies attached)' }),
    'exit-code-from': Flags.string({ description: "exit with this service's exit code (implies --abort-on-container-exit)" }),
    timeout: Flags.integer({ char: 't', description: 'seconds to wait for containers to stop when attached', min: 0 }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeUp);
    const services = argv as string[];
    const abort = flags['abort-on-container-exit'] || flags['exit-code-from'] !== undefined;
    if ((flags.detach || flags.wait) && abort) {
      throw new InvalidArgumentError('--abort-on-container-exit and --exit-code-from need an attached up, not --detach or --wait');
    }
    const project = await this.loadProject(flags);
    if (flags['exit-code-from'] !== undefined && !(flags['exit-code-from'] in project.services)) {
      throw new InvalidArgumentError(`--exit-code-from: no such service: ${flags['exit-code-from']}`);
    }
    const since = String(Date.now() / 1000);
    const options = convergeOptionsOf(flags, services);
    // Waiting for readiness is part of converging: the project is not where `up --wait` wants it before that.
    const graph = await this.changeProject(project, flags, 'up', { services, desired: 'running', scale: options.scale }, async (converger) => {
      const converged = await converger.up(options);
      if (flags.wait) await converger.awaitReady(converged, flags['wait-timeout']);
      return converged;
    });
    if (flags.detach || flags.wait) return;
    this.endProgress();
    // Following the logs is not a change of the project, so it holds no lock: other commands may act meanwhile.
    process.exitCode = await attachProject(this.connect(flags), this.converger(project, flags), graph.services, {
      since,
      abortOnExit: abort,
      exitCodeFrom: flags['exit-code-from'],
      timeout: flags.timeout,
    });
  }
}
