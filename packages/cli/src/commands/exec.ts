// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { execAttached, resolveEnvironment, splitAtOperand } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';

export default class Exec extends EngineCommand {
  static override summary = 'Run a command in a running container';
  static override usage = 'exec [FLAGS] CONTAINER COMMAND [ARG...]';
  static override examples = ['<%= config.bin %> exec web cat /etc/hostname', '<%= config.bin %> exec -u 65534 -w /tmp -e A=1 web env', '<%= config.bin %> exec -it web sh'];
  static override flags = {
    env: Flags.string({
      char: 'e',
      multiple: true,
      // Greedy multi-value flags would swallow the container that follows `-e X=1`.
      multipleNonGreedy: true,
      description: 'set an environment variable (VAR=value, or VAR to pass it on from this shell)',
    }),
    workdir: Flags.string({ char: 'w', description: 'working directory inside the container' }),
    user: Flags.string({ char: 'u', description: 'username or UID (format: <name|uid>[:<group|gid>])' }),
    interactive: Flags.boolean({ char: 'i', description: 'keep stdin open and send it to the command' }),
    tty: Flags.boolean({ char: 't', description: 'allocate a pseudo-terminal' }),
    'detach-keys': Flags.string({ description: 'key sequence for detaching (default ctrl-p,ctrl-q)' }),
  };
  static override args = { container: Args.string({ required: true, description: 'container name or id' }) };
  // The command and its flags are cut off before parsing, as `run` does after the image.
  static override strict = false;

  async run(): Promise<void> {
    const { own, command } = splitAtOperand(this.argv, { ...Exec.baseFlags, ...Exec.flags });
    const { flags, args } = await this.parse(Exec, own);
    if (command.length === 0) this.error('"exec" requires at least 2 arguments: a container and a command', { exit: 1 });
    const client = await this.connect(flags);
    const env = resolveEnvironment(flags.env ?? [], (name) => process.env[name]);
    const exitCode = await execAttached(client, args.container, {
      Cmd: command,
      Env: env.length > 0 ? env : undefined,
      WorkingDir: flags.workdir,
      User: flags.user,
      AttachStdin: flags.interactive,
      Tty: flags.tty,
      DetachKeys: flags['detach-keys'],
    });
    if (exitCode) this.exit(exitCode);
  }
}
