// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import * as Flags from '@oclif/core/flags';
import type { Interfaces } from '@oclif/core';
import { parseEnvFile, parseRestartPolicy, resolveEnvironment, securityOptRequest, type ContainerCreateRequest } from '@tsc-engine/core/client';
import { healthcheckFromFlags, healthFlags } from './health-flags.js';
import { resourceFlags, resourcesFromFlags } from './resource-flags.js';
import { mountRequestFields } from './mount-option.js';
import { networkFlags, networkRequestFields } from './network-create-options.js';
import { runOptionFlags, runOptionsFromFlags } from './run-option-flags.js';

/** The flags `create` and `run` share, named as docker's. */
export const containerCreateFlags = {
  name: Flags.string({ description: 'assign a name to the container' }),
  env: Flags.string({
    char: 'e',
    multiple: true,
    // Greedy multi-value flags would swallow the image that follows `-e X=1`.
    multipleNonGreedy: true,
    description: 'set an environment variable (VAR=value, or VAR to pass it on from this shell)',
  }),
  'env-file': Flags.string({ multiple: true, multipleNonGreedy: true, description: 'read environment variables from a file' }),
  entrypoint: Flags.string({ description: "overwrite the image's default entrypoint" }),
  workdir: Flags.string({ char: 'w', description: 'working directory inside the container' }),
  user: Flags.string({ char: 'u', description: 'username or UID (format: <name|uid>[:<group|gid>])' }),
  hostname: Flags.string({ char: 'h', description: 'container host name' }),
  label: Flags.string({ char: 'l', multiple: true, multipleNonGreedy: true, description: 'set metadata on the container (key=value)' }),
  runtime: Flags.string({ description: 'runtime to use for this container (runc, crun, …)' }),
  rm: Flags.boolean({ description: 'automatically remove the container when it exits' }),
  interactive: Flags.boolean({ char: 'i', description: 'keep stdin open, and attach it with run' }),
  tty: Flags.boolean({ char: 't', description: 'allocate a pseudo-terminal' }),
  volume: Flags.string({
    char: 'v',
    multiple: true,
    multipleNonGreedy: true,
    description: 'bind mount a host path or mount a volume (/host:/ctr[:ro], name:/ctr[:ro], or /ctr for an anonymous volume)',
  }),
  mount: Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    description: 'attach a filesystem mount (type=bind|volume|tmpfs,source=…,target=…[,readonly])',
  }),
  tmpfs: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'mount a tmpfs directory (/path[:options])' }),
  'cap-add': Flags.string({ multiple: true, multipleNonGreedy: true, description: 'add a Linux capability (NET_ADMIN, …, or ALL)' }),
  'cap-drop': Flags.string({ multiple: true, multipleNonGreedy: true, description: 'drop a Linux capability (NET_RAW, …, or ALL)' }),
  privileged: Flags.boolean({ description: 'give extended privileges to this container' }),
  'security-opt': Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    description: 'security options (seccomp=unconfined|builtin|<profile.json>, no-new-privileges)',
  }),
  // `--no-init` overrides a daemon whose daemon.json sets `"init": true`, as docker's `--init=false` does.
  init: Flags.boolean({ allowNo: true, description: 'run an init inside the container that forwards signals and reaps processes' }),
  restart: Flags.string({ description: 'restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:max-retries])' }),
  'add-host': Flags.string({ multiple: true, multipleNonGreedy: true, description: 'add a custom host-to-IP mapping (host:ip)' }),
  ...networkFlags,
  ...healthFlags,
  ...resourceFlags,
  ...runOptionFlags,
};

export type ContainerCreateFlags = Interfaces.InferredFlags<typeof containerCreateFlags>;

/** The `POST /containers/create` body for `image` and `command`, as docker's CLI builds it from these flags. */
export async function buildCreateRequest(
  flags: ContainerCreateFlags,
  image: string,
  command: string[],
  options: { attach: boolean; env?: NodeJS.ProcessEnv },
): Promise<ContainerCreateRequest> {
  const lookup = (name: string) => (options.env ?? process.env)[name];
  const env: string[] = [];
  for (const file of flags['env-file'] ?? []) env.push(...parseEnvFile(await readFile(file, 'utf8'), file, lookup));
  env.push(...resolveEnvironment(flags.env ?? [], lookup));
  const labels = Object.fromEntries(
    (flags.label ?? []).map((label) => {
      const equals = label.indexOf('=');
      return equals < 0 ? [label, ''] : [label.slice(0, equals), label.slice(equals + 1)];
    }),
  );
  const mounts = mountRequestFields(flags);
  const network = networkRequestFields(flags);
  return {
    Image: image,
    Cmd: command.length > 0 ? command : undefined,
    // `--entrypoint ""` is docker's way to clear the image's entrypoint: it sends `[""]`.
    Entrypoint: flags.entrypoint === undefined ? undefined : [flags.entrypoint],
    Env: env.length > 0 ? env : undefined,
    Labels: flags.label ? labels : undefined,
    WorkingDir: flags.workdir,
    User: flags.user,
    Hostname: flags.hostname,
    Healthcheck: healthcheckFromFlags(flags),
    AttachStdin: options.attach && flags.interactive,
    AttachStdout: options.attach,
    AttachStderr: options.attach,
    Tty: flags.tty,
    OpenStdin: flags.interactive,
    // As docker's CLI: the stdin of an attached run closes with the user's.
    StdinOnce: options.attach && flags.interactive,
    Volumes: mounts.volumes,
    ExposedPorts: network.exposedPorts,
    NetworkingConfig: network.networkingConfig,
    HostConfig: { AutoRemove: flags.rm, Runtime: flags.runtime, Binds: mounts.binds, Mounts: mounts.mounts, Tmpfs: mounts.tmpfs,
      CapAdd: flags['cap-add'], CapDrop: flags['cap-drop'], Privileged: flags.privileged || undefined, ExtraHosts: flags['add-host'],
      Init: flags.init,
      SecurityOpt: await securityOptRequest(flags['security-opt']),
      RestartPolicy: flags.restart === undefined ? undefined : parseRestartPolicy(flags.restart),
      ...resourcesFromFlags(flags),
      ...runOptionsFromFlags(flags),
      ...network.hostConfig },
  };
}
