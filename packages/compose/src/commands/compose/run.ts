// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { InvalidArgumentError, resolveEnvironment, runAttached, splitAtOperand, stdioIsTerminal } from '@tsc-engine/core/client';
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { createLineProgress } from '../../convergence/create-progress.js';
import { DependencyGraph } from '../../convergence/dependency-graph.js';
import { toOneOffRequest } from '../../convergence/one-off-request.js';
import { reportWarnings } from '../../convergence/progress-writer.js';
import type { ProjectConverger } from '../../convergence/project-converger.js';
import { splitShellWords } from '../../loader/shell-words.js';
import { parseLabelFlags, parseRunPorts, parseRunVolumes } from '../../run-flags.js';
import { terminalFlags } from '../../terminal-flags.js';

export default class ComposeRun extends ComposeEngineCommand {
  static override summary = 'Run a one-off command in a new container of a service';
  static override description =
    "Starts the service's dependencies (unless --no-deps), then runs the command in a new container of the service on " +
    "the project's networks, attached to this terminal, and exits with its exit code. The service's ports are not " +
    'published unless --service-ports or --publish. The container is labelled as a one-off: ps leaves it out (ps -a ' +
    'shows it), down removes it.';
  static override usage = 'compose run [OPTIONS] SERVICE [COMMAND] [ARGS...]';
  static override examples = ['<%= config.bin %> compose run --rm web sh -c "wget -qO- http://db:5432"', '<%= config.bin %> compose run -d --name job worker'];
  // `-p` is --publish here, as in docker compose; the project name reaches this command as --project-name (splitAtCommand).
  static override baseFlags: typeof ComposeEngineCommand.baseFlags = {
    ...ComposeEngineCommand.baseFlags,
    'project-name': { ...ComposeEngineCommand.baseFlags['project-name'], char: undefined },
  };
  static override flags = {
    detach: Flags.boolean({ char: 'd', description: 'run the container in the background and print its id' }),
    rm: Flags.boolean({ description: 'remove the container when it exits' }),
    name: Flags.string({ description: 'name of the container' }),
    env: Flags.string({ char: 'e', multiple: true, multipleNonGreedy: true, description: 'set an environment variable (VAR=value, or VAR to pass it on)' }),
    label: Flags.string({ char: 'l', aliases: ['labels'], multiple: true, multipleNonGreedy: true, description: 'add or override a label (KEY=VALUE)' }),
    user: Flags.string({ char: 'u', description: 'run as this user' }),
    workdir: Flags.string({ char: 'w', description: 'working directory inside the container' }),
    entrypoint: Flags.string({ description: "override the image's entrypoint" }),
    publish: Flags.string({ char: 'p', multiple: true, multipleNonGreedy: true, description: 'publish a port (HOST:CONTAINER, as in the compose files)' }),
    'service-ports': Flags.boolean({ char: 'P', description: "publish the service's ports", exclusive: ['publish'] }),
    volume: Flags.string({ char: 'v', aliases: ['volumes'], multiple: true, multipleNonGreedy: true, description: 'mount a volume or host path (SOURCE:TARGET[:MODE])' }),
    'no-deps': Flags.boolean({ description: 'do not start the services it depends on' }),
    'use-aliases': Flags.boolean({ description: "join the networks under the service's name and aliases" }),
    ...terminalFlags,
    interactive: Flags.boolean({ char: 'i', default: true, allowNo: true, description: 'send stdin to the container' }),
  };
  static override args = { service: Args.string({ required: true, description: 'service' }) };
  // The container's command and its flags are cut off before parsing.
  static override strict = false;

  async run(): Promise<void> {
    const { own, command } = splitAtOperand(this.argv, { ...ComposeRun.baseFlags, ...ComposeRun.flags });
    const { flags, args } = await this.parse(ComposeRun, own);
    const project = await this.loadProject(flags);
    const service = args.service;
    if (!(service in project.services)) throw new InvalidArgumentError(`no such service: ${service}`);
    const dependencies = flags['no-deps'] ? [] : DependencyGraph.of(project, [service]).services.filter((s) => s !== service);
    const prepare = (converger: ProjectConverger) => converger.prepareOneOff(service, dependencies);
    // Starting dependencies changes the project, so it takes the project's lock as `up` does; the one-off does not.
    if (dependencies.length > 0) await this.changeProject(project, flags, 'run', { services: dependencies, desired: 'running' }, prepare);
    else await prepare(this.converger(project, flags));
    this.endProgress();

    const tty = !flags['no-tty'] && stdioIsTerminal();
    const interactive = flags.interactive && !flags.detach;
    const { name, request } = await toOneOffRequest(project, {
      service,
      command,
      entrypoint: flags.entrypoint === undefined ? undefined : splitShellWords(flags.entrypoint),
      environment: resolveEnvironment(flags.env ?? [], (variable) => process.env[variable]),
      user: flags.user,
      workdir: flags.workdir,
      labels: parseLabelFlags(flags.label ?? []),
      volumes: parseRunVolumes(flags.volume ?? [], project.workingDir),
      ports: flags['service-ports'] ? (project.services[service].ports ?? []) : parseRunPorts(flags.publish ?? []),
      useAliases: flags['use-aliases'],
      tty,
      interactive,
      autoRemove: flags.rm,
      name: flags.name,
    });
    const client = this.connect(flags);
    const { Id, Warnings } = await client.createContainer(request, { name });
    reportWarnings(createLineProgress(flags.progress), { kind: 'Container', name, service }, Warnings ?? []);
    if (flags.detach) {
      await client.startContainer(Id);
      process.stdout.write(`${Id}\n`);
      return;
    }
    // Not this.exit(): see ComposeCommand.catch.
    process.exitCode = await runAttached(client, Id, { autoRemove: flags.rm, tty, interactive });
  }
}
