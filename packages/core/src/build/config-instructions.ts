// SPDX-License-Identifier: Apache-2.0
import { posix } from 'node:path';
import type { HealthConfig } from '../api/container.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { ImageRunConfig } from '../image/image-config.js';
import { parseGoDuration } from '../shared/go-duration.js';
import { parseJsonArray, type DockerfileInstruction } from './dockerfile-parser.js';
import { expandWord, expandWords, splitWords, type BuildVariables } from './shell-words.js';

/**
 * The instructions that only change the image config: what `docker commit --change` and `docker import --change`
 * accept (moby's `validCommitCommands`), and what the builder dispatches without making a layer.
 */
export const CONFIG_INSTRUCTIONS: ReadonlySet<string> = new Set([
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'ONBUILD',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

export interface ConfigInstructionContext {
  /** What `$VAR` expands to: the config's `Env`, and in a build the stage's `ARG`s too. */
  variables: BuildVariables;
  /** The Dockerfile's escape character (`# escape=`); `\` by default. */
  escape?: string;
  /** The shell of shell-form `CMD`/`ENTRYPOINT`: `["/bin/sh", "-c"]` unless `SHELL` changed it. */
  shell?: readonly string[];
  /** Put before error messages: where the instruction is (`dockerfile line 3: `); nothing for `--change`. */
  where?: string;
}

/** The default shell of shell-form instructions on Linux. */
export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

/**
 * Applies one of {@link CONFIG_INSTRUCTIONS} to `config` in place, as Docker's builder dispatches it. `ENTRYPOINT`
 * clearing an inherited `Cmd` is the caller's: only it knows whether an earlier step set that `Cmd`.
 */
export function applyConfigInstruction(config: ImageRunConfig, instruction: DockerfileInstruction, context: ConfigInstructionContext): void {
  const { variables, escape = '\\', shell = DEFAULT_SHELL, where = '' } = context;
  const { keyword, args } = instruction;
  const fail = (message: string) => new InvalidArgumentError(`${where}${keyword} ${message}`);
  const expanded = () => expandWords(args, variables, escape);
  const one = () => {
    const [value, ...extra] = expanded();
    if (value === undefined || extra.length > 0) throw fail('requires exactly one argument');
    return value;
  };
  switch (keyword) {
    case 'CMD':
      config.Cmd = instruction.json ?? [...shell, args];
      return;
    case 'ENTRYPOINT':
      config.Entrypoint = instruction.json ?? (args ? [...shell, args] : null);
      return;
    case 'ENV':
      for (const [name, value] of namedValues(instruction, variables, escape, fail)) config.Env = setEnv(config.Env ?? [], name, value);
      return;
    case 'LABEL':
      config.Labels = { ...(config.Labels ?? {}) };
      for (const [name, value] of namedValues(instruction, variables, escape, fail)) config.Labels[name] = value;
      return;
    case 'EXPOSE': {
      const ports = expanded();
      if (ports.length === 0) throw fail('requires at least one argument');
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}) };
      for (const port of ports.flatMap((p) => exposedPorts(p, where))) config.ExposedPorts[port] = {};
      return;
    }
    case 'VOLUME': {
      const paths = instruction.json ?? expanded();
      if (paths.length === 0 || paths.some((p) => p.trim() === '')) throw fail('requires at least one non-empty argument');
      config.Volumes = { ...(config.Volumes ?? {}) };
      for (const path of paths) config.Volumes[path] = {};
      return;
    }
    case 'USER':
      config.User = one();
      return;
    case 'WORKDIR':
      // Relative to the previous working directory, as a Dockerfile's.
      config.WorkingDir = posix.resolve(config.WorkingDir || '/', one());
      return;
    case 'STOPSIGNAL':
      config.StopSignal = one();
      return;
    case 'HEALTHCHECK':
      config.Healthcheck = healthcheck(instruction, fail);
      return;
    case 'ONBUILD': {
      const trigger = /^\S+/.exec(args)?.[0].toUpperCase();
      if (trigger === undefined) throw fail('requires at least one argument');
      if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(trigger)) throw new InvalidArgumentError(`${where}${trigger} isn't allowed as an ONBUILD trigger`);
      config.OnBuild = [...(config.OnBuild ?? []), args];
      return;
    }
    default:
      throw fail('is not a config instruction');
  }
}

/** `name=value …` pairs, or the legacy `name value` form (one pair, the value the rest of the line), expanded. */
function namedValues(instruction: DockerfileInstruction, variables: BuildVariables, escape: string, fail: (message: string) => Error): Array<[string, string]> {
  const words = splitWords(instruction.args, escape);
  if (words.length === 0) throw fail('requires at least one argument');
  if (!words[0].includes('=')) {
    const legacy = /^(\S+)\s+([\s\S]+)$/.exec(instruction.args);
    if (!legacy) throw fail('names can not be blank');
    return [[expandWord(legacy[1], variables, escape), expandWord(legacy[2], variables, escape)]];
  }
  return words.map((word) => {
    const at = word.indexOf('=');
    if (at < 0) throw fail(`syntax error - can't find = in "${word}". Must be of the form: name=value`);
    if (at === 0) throw fail('names can not be blank');
    return [expandWord(word.slice(0, at), variables, escape), expandWord(word.slice(at + 1), variables, escape)];
  });
}

/** `NONE`, or `[--interval=30s] [--timeout=…] [--start-period=…] [--start-interval=…] [--retries=N] CMD …`. */
function healthcheck(instruction: DockerfileInstruction, fail: (message: string) => Error): HealthConfig {
  const { flags, args } = instruction;
  if (/^none$/i.test(args)) {
    if (Object.keys(flags).length > 0) throw fail('NONE takes no options');
    return { Test: ['NONE'] };
  }
  const health: HealthConfig = {};
  for (const [name, value] of Object.entries(flags)) {
    if (name === 'retries') {
      health.Retries = Number(value);
      if (!Number.isInteger(health.Retries) || health.Retries < 0) throw fail(`invalid --retries value "${value}"`);
      continue;
    }
    const field = ({ interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval' } as const)[name];
    if (!field) throw fail(`unknown flag: --${name}`);
    const ms = parseGoDuration(value);
    if (ms === undefined) throw fail(`invalid --${name} duration "${value}"`);
    health[field] = Math.round(ms * 1e6);
  }
  const [, keyword, command = ''] = /^(\S+)\s*([\s\S]*)$/.exec(args) ?? [];
  if (keyword?.toUpperCase() !== 'CMD' || command === '') throw fail('requires NONE, or CMD and a command');
  const exec = parseJsonArray(command);
  return { ...health, Test: exec ? ['CMD', ...exec] : ['CMD-SHELL', command] };
}

/** `NAME=value` entries as `[name, value]`, for {@link ConfigInstructionContext.variables}. */
export function envEntries(env: readonly string[] | undefined): Array<[string, string]> {
  return (env ?? []).map((entry) => {
    const at = entry.indexOf('=');
    return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
  });
}

/** Replaces or appends `name=value` in an env list. */
export function setEnv(env: string[], name: string, value: string): string[] {
  const entry = `${name}=${value}`;
  const at = env.findIndex((e) => e.split('=', 1)[0] === name);
  return at < 0 ? [...env, entry] : env.map((e, i) => (i === at ? entry : e));
}

/** `80`, `80/udp`, `8000-8002/tcp` as the `port/proto` keys of `ExposedPorts`. */
function exposedPorts(spec: string, where: string): string[] {
  const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (!match) throw new InvalidArgumentError(`${where}invalid containerPort: ${spec}`);
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first < 1 || last > 65535 || last < first) throw new InvalidArgumentError(`${where}invalid port range: ${spec}`);
  const protocol = (match[3] ?? 'tcp').toLowerCase();
  return Array.from({ length: last - first + 1 }, (_, i) => `${first + i}/${protocol}`);
}
