// SPDX-License-Identifier: Apache-2.0
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { DependencyGraph } from '../../convergence/dependency-graph.js';

export default class ComposeStart extends ComposeEngineCommand {
  static override summary = 'Start the existing containers of the services, in dependency order';
  static override strict = false;
  static override usage = 'compose start [SERVICE...]';

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeStart);
    const project = await this.loadProject(flags);
    const graph = DependencyGraph.of(project, argv as string[]);
    await this.changeProject(project, flags, 'start', { services: graph.services, desired: 'running' }, (converger) => converger.start(graph));
  }
}
