// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvalidArgumentError, NotFoundError, UnavailableError } from '../errors/engine-error.js';
import { DOCKER_HUB_DOMAIN } from './image-reference-parser.js';
import type { RegistryAuth } from './registry.js';

/** The key Docker files Docker Hub's credentials under (moby `IndexServer`). */
export const DOCKER_HUB_CREDENTIALS_KEY = 'https://index.docker.io/v1/';

/** Credentials to store: a password, or an identity (refresh) token from the registry's token server. */
export interface StoredCredentials {
  username: string;
  password?: string;
  identityToken?: string;
}

/** `~/.docker/config.json` as far as credentials go; every other field is kept as it is. */
interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [other: string]: unknown;
}

/** What a `docker-credential-*` helper exchanges (docker-credential-helpers `credentials.Credentials`). */
interface HelperCredentials {
  ServerURL?: string;
  Username: string;
  Secret: string;
}

export interface DockerConfigCredentialsOptions {
  /** The directory holding `config.json`: `$DOCKER_CONFIG`, else `~/.docker`. */
  configDir?: string;
  /** Environment the credential helpers run in (their `PATH` finds them). */
  env?: NodeJS.ProcessEnv;
}

// A helper prints this (or a message containing it) when it has nothing for a server.
const HELPER_NOT_FOUND = /credentials not found/i;
// Docker's marker for a helper entry whose secret is an identity token rather than a password.
const TOKEN_USERNAME = '<token>';
const HELPER_TIMEOUT_MS = 30_000;

/**
 * The Docker CLI's credential store, compatible with its files and helpers (docker/cli `cli/config`): entries in
 * `config.json` under `auths` (`auth` is standard base64 of `user:password`), or in a credential helper, chosen per
 * registry by `credHelpers`, else `credsStore`. The file is written atomically with mode 0600. Secrets never
 * appear in errors: only helper names, server addresses and what a helper printed on failure.
 */
export class DockerConfigCredentials {
  readonly configPath: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: DockerConfigCredentialsOptions = {}) {
    const env = options.env ?? process.env;
    this.env = env;
    this.configPath = join(options.configDir ?? env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  }

  /** The credentials for a registry host (`docker.io`, `127.0.0.1:5000`) or server URL, shaped for `X-Registry-Auth`. */
  async get(server: string): Promise<RegistryAuth | undefined> {
    const config = await this.read();
    const key = credentialsKey(server);
    const helper = this.helperFor(config, key);
    if (helper) {
      const answer = await this.runHelper(helper, 'get', key);
      if (answer === undefined) return undefined;
      const found = parseHelperOutput(answer, helper);
      return found.Username === TOKEN_USERNAME
        ? { identitytoken: found.Secret, serveraddress: key }
        : { username: found.Username, password: found.Secret, serveraddress: key };
    }
    const entry = findEntry(config, key);
    if (!entry) return undefined;
    let { username, password } = entry;
    if (entry.auth) [username, password] = decodeAuth(entry.auth, key);
    return {
      ...(username && { username }),
      ...(password && { password }),
      ...(entry.identitytoken && { identitytoken: entry.identitytoken }),
      ...(entry.registrytoken && { registrytoken: entry.registrytoken }),
      serveraddress: key,
    };
  }

  /** Saves credentials for a registry (what `login` does once the registry accepted them). */
  async store(server: string, credentials: StoredCredentials): Promise<void> {
    const config = await this.read();
    const key = credentialsKey(server);
    const helper = this.helperFor(config, key);
    config.auths ??= {};
    if (helper) {
      const secret: HelperCredentials = credentials.identityToken
        ? { ServerURL: key, Username: TOKEN_USERNAME, Secret: credentials.identityToken }
        : { ServerURL: key, Username: credentials.username, Secret: credentials.password ?? '' };
      await this.runHelper(helper, 'store', JSON.stringify(secret));
      // Docker keeps an empty entry so the file still lists the registries logged in to.
      config.auths[key] = {};
    } else {
      config.auths[key] = {
        auth: Buffer.from(`${credentials.username}:${credentials.identityToken ? '' : credentials.password ?? ''}`).toString('base64'),
        ...(credentials.identityToken && { identitytoken: credentials.identityToken }),
      };
    }
    await this.write(config);
  }

  /** Forgets a registry's credentials (what `logout` does); resolves whether there were any. */
  async erase(server: string): Promise<boolean> {
    const config = await this.read();
    const key = credentialsKey(server);
    const helper = this.helperFor(config, key);
    const stored = findEntryKey(config, key);
    if (helper) await this.runHelper(helper, 'erase', key);
    if (stored !== undefined) {
      delete config.auths?.[stored];
      await this.write(config);
    }
    return helper !== undefined || stored !== undefined;
  }

  private helperFor(config: DockerConfigFile, key: string): string | undefined {
    return config.credHelpers?.[hostOf(key)] ?? config.credHelpers?.[key] ?? (config.credsStore || undefined);
  }

  private async read(): Promise<DockerConfigFile> {
    let text: string;
    try {
      text = await readFile(this.configPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as DockerConfigFile;
    } catch (cause) {
      throw new InvalidArgumentError(`${this.configPath}: not a valid Docker config file`, { cause, hint: 'fix or remove the file' });
    }
  }

  /** Replaces the file atomically, readable by its owner only: it may hold passwords. */
  private async write(config: DockerConfigFile): Promise<void> {
    await mkdir(dirname(this.configPath), { recursive: true, mode: 0o700 });
    const temp = `${this.configPath}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(config, null, '\t')}\n`, { mode: 0o600 });
      await chmod(temp, 0o600);
      await rename(temp, this.configPath);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Runs `docker-credential-<helper> <action>` with `input` on stdin; undefined when it has no credentials. */
  private runHelper(helper: string, action: 'get' | 'store' | 'erase', input: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9._-]+$/.test(helper)) throw new InvalidArgumentError(`${this.configPath}: invalid credential helper name "${helper}"`);
    const program = `docker-credential-${helper}`;
    return new Promise((resolve, reject) => {
      const child = execFile(program, [action], { env: this.env, timeout: HELPER_TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        // Helpers report errors on stdout; that text names the problem, never the secret it was given.
        const said = (stdout || stderr).trim();
        if (action !== 'store' && HELPER_NOT_FOUND.test(said)) return resolve(undefined);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(new NotFoundError(`credential helper ${program} not found`, {
            hint: `install it, or remove "${helper}" from credsStore/credHelpers in ${this.configPath}`,
          }));
        }
        reject(new UnavailableError(`credential helper ${program} ${action} failed${said ? `: ${said}` : ''}`));
      });
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
    });
  }
}

/**
 * The key a registry's credentials are filed under: Docker Hub's legacy index URL for Docker Hub, the bare host
 * (`127.0.0.1:5000`) for every other registry, whether given as a host or as a URL.
 */
export function credentialsKey(server: string): string {
  const host = hostOf(server);
  return host === DOCKER_HUB_DOMAIN || host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB_CREDENTIALS_KEY : host;
}

function hostOf(server: string): string {
  return server.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

/** The `auths` key matching `key`: exactly, or the same host written as a URL (`https://host/v1/`), as Docker accepts. */
function findEntryKey(config: DockerConfigFile, key: string): string | undefined {
  const auths = config.auths ?? {};
  if (key in auths) return key;
  return Object.keys(auths).find((each) => credentialsKey(each) === key);
}

function findEntry(config: DockerConfigFile, key: string) {
  const found = findEntryKey(config, key);
  const entry = found === undefined ? undefined : config.auths?.[found];
  // Docker's empty entries only record a helper login; they hold no credentials.
  return entry && Object.keys(entry).length > 0 ? entry : undefined;
}

function decodeAuth(auth: string, key: string): [string, string] {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidArgumentError(`credentials for ${key}: "auth" is not base64 of user:password`);
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

function parseHelperOutput(text: string, helper: string): HelperCredentials {
  try {
    const parsed = JSON.parse(text) as Partial<HelperCredentials>;
    if (typeof parsed.Username === 'string' && typeof parsed.Secret === 'string') return parsed as HelperCredentials;
  } catch {
    // Reported below, without the text: it may be a secret.
  }
  throw new UnavailableError(`credential helper docker-credential-${helper} answered get with something other than credentials`);
}
