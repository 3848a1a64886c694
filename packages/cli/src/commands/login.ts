// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { DOCKER_HUB_CREDENTIALS_KEY, DockerConfigCredentials, InvalidArgumentError, errorCodeOf, type RegistryAuth } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';

export default class Login extends EngineCommand {
  static override summary = 'Log in to a registry';
  static override description =
    'Checks the credentials with the registry (through the daemon) and stores them as the Docker CLI does: in ~/.docker/config.json ($DOCKER_CONFIG), or in the credential helper it names. Defaults to Docker Hub.';
  static override flags = {
    username: Flags.string({ char: 'u', description: 'username' }),
    password: Flags.string({ char: 'p', description: 'password (insecure: prefer --password-stdin)' }),
    'password-stdin': Flags.boolean({ description: 'take the password from stdin' }),
  };
  // stdin is the password's (--password-stdin), never the server's, which oclif would otherwise read it as.
  static override args = { server: Args.string({ description: 'registry host, e.g. 127.0.0.1:5000 [default: Docker Hub]', ignoreStdin: true }) };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Login);
    const server = args.server ?? DOCKER_HUB_CREDENTIALS_KEY;
    if (flags.password !== undefined && flags['password-stdin']) {
      throw new InvalidArgumentError('--password and --password-stdin are mutually exclusive');
    }
    if (flags['password-stdin'] && !flags.username) throw new InvalidArgumentError('must provide --username with --password-stdin');
    if (flags.password !== undefined) process.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');

    const client = await this.connect(flags);
    const store = new DockerConfigCredentials();
    // As docker: without a username, credentials stored before are tried first.
    const stored = flags.username ? undefined : await store.get(server);
    if (stored && (await accepted(() => client.login({ ...stored, serveraddress: server })))) {
      this.log('Authenticating with existing credentials...\nLogin Succeeded');
      return;
    }

    const { promptLine, readStdin } = await import('../terminal-input.js');
    const interactive = process.stdin.isTTY === true;
    const needsPrompt = !flags.username || (flags.password === undefined && !flags['password-stdin']);
    if (needsPrompt && !interactive) {
      throw new InvalidArgumentError('cannot perform an interactive login from a non TTY device', {
        hint: 'pass --username and --password-stdin',
      });
    }
    const username = flags.username ?? (await promptLine('Username: ')).trim();
    const password = flags['password-stdin']
      ? (await readStdin()).replace(/\r?\n$/, '')
      : flags.password ?? (await promptLine('Password: ', { hidden: true }));
    if (!username || !password) throw new InvalidArgumentError('username and password are required');

    const auth: RegistryAuth = { username, password, serveraddress: server };
    const answer = await client.login(auth);
    // A token the registry issued replaces the password in the store, as docker does.
    await store.store(server, answer.IdentityToken ? { username, identityToken: answer.IdentityToken } : { username, password });
    this.log(answer.Status || 'Login Succeeded');
  }
}

/** Whether the registry accepts credentials; a refusal is a no, any other failure is the command's. */
async function accepted(login: () => Promise<unknown>): Promise<boolean> {
  try {
    await login();
    return true;
  } catch (error) {
    if (errorCodeOf(error) === 'unauthorized') return false;
    throw error;
  }
}
