// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  execAttached,
  execDetached,
  resolveEnvironment,
  splitAtOperand,
  stdioIsTerminal,
  type ExecCreateRequest,
} from '@tsc-engine/core/client';
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { listProjectContainers, ofServices } from '../../convergence/project-containers.js';
import { terminalFlags } from '../../terminal-flags.js';

export default class ComposeExec extends ComposeEngineCommand {
  static override summary = 'Run a command in a running container of a service';
  static override description =
    'The command gets a terminal when this one has one (stdin and stdout), unless -T; its exit code is the exit code of ' +
    'this command.';
  static override usage = 'compose exec [OPTIONS] SERVICE COMMAND [ARGS...]';
  static override examples = ['<%= config.bin %> compose exec web sh', '<%= config.bin %> compose exec -T -e A=1 -w /tmp db env'];
  static override flags = {
    detach: Flags.boolean({ char: 'd', description: 'run the command in the background' }),
    env: Flags.string({ char: 'e', multiple: true, multipleNonGreedy: true, description: 'set an environment variable (VAR=value, or VAR to pass it on)' }),
    index: Flags.integer({ description: 'which replica of the service, from 1', default: 1, min: 1 }),
    privileged: Flags.boolean({ description: 'give extended privileges to the process' }),
    user: Flags.string({ char: 'u', description: 'run the command as this user' }),
    workdir: Flags.string({ char: 'w', description: 'working directory of the command' }),
    ...terminalFlags,
    // Hidden as in docker compose, which accepts it so that `exec -it` written as for docker keeps working.
    interactive: Flags.boolean({ char: 'i', default: true, allowNo: true, hidden: true, description: 'send stdin to the command' }),
  };
  static override args = { service: Args.string({ required: true, description: 'service' }) };
  // The command and its flags are cut off before parsing.
  static override strict = false;

  async run(): Promise<void> {
    const { own, command } = splitAtOperand(this.argv, { ...ComposeExec.baseFlags, ...ComposeExec.flags });
    const { flags, args } = await this.parse(ComposeExec, own);
    if (command.length === 0) throw new InvalidArgumentError('"compose exec" needs a service and a command');
    const project = await this.loadProject(flags);
    if (!(args.service in project.services)) throw new InvalidArgumentError(`no such service: ${args.service}`);
    const client = this.connect(flags);
    const running = ofServices(await listProjectContainers(client, project.name, { all: false }), [args.service]);
    const container = running.find((c) => c.number === flags.index);
    if (!container) {
      const which = running.length > 0 ? ` container #${flags.index}` : '';
      throw new FailedPreconditionError(`service "${args.service}" is not running${which}`, {
        hint: running.length > 0 ? undefined : `start it with: tsc-engine compose up -d ${args.service}`,
      });
    }
    const env = resolveEnvironment(flags.env ?? [], (name) => process.env[name]);
    const request: ExecCreateRequest = {
      Cmd: command,
      Env: env.length > 0 ? env : undefined,
      User: flags.user,
      WorkingDir: flags.workdir,
      Privileged: flags.privileged,
      Tty: !flags['no-tty'] && stdioIsTerminal(),
      AttachStdin: flags.interactive,
    };
    if (flags.detach) {
      await execDetached(client, container.id, request);
      return;
    }
    // Not this.exit(): see ComposeCommand.catch.
    process.exitCode = await execAttached(client, container.id, request);
  }
}
