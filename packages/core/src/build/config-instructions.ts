// SPDX-License-Identifier: Apache-2.0
import { posix } from 'node:path';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { ImageRunConfig } from '../image/image-config.js';
import type { DockerfileInstruction } from './dockerfile-parser.js';
import { expandWord, expandWords, splitWords, type BuildVariables } from './shell-words.js';

/** The instructions that only change the image config, which `docker commit --change` accepts too. */
export const CONFIG_INSTRUCTIONS: ReadonlySet<string> = new Set(['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

export interface ConfigInstructionContext {
  /** What `$VAR` expands to. */
  variables: BuildVariables;
  escape: string;
  /** The shell of shell-form `CMD`/`ENTRYPOINT`: `["/bin/sh", "-c"]` unless `SHELL` changed it. */
  shell: string[];
}

/** The default shell of shell-form instructions on Linux. */
export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

/** Applies one of {@link CONFIG_INSTRUCTIONS} to `config`, as Docker's builder dispatches it. */
export function applyConfigInstruction(config: ImageRunConfig, instruction: DockerfileInstruction, context: ConfigInstructionContext): void {
  const { variables, escape } = context;
  const { keyword, args } = instruction;
  const fail = (message: string) => new InvalidArgumentError(`dockerfile line ${instruction.line}: ${keyword}: ${message}`);
  const one = () => {
    if (!args) throw fail('requires exactly one argument');
    return expandWord(args, variables, escape);
  };
  switch (keyword) {
    case 'CMD':
      config.Cmd = instruction.json ?? [...context.shell, args];
      return;
    case 'ENTRYPOINT':
      config.Entrypoint = instruction.json ?? (args ? [...context.shell, args] : null);
      return;
    case 'ENV':
      for (const [name, value] of namedValues(instruction, context)) config.Env = setEnv(config.Env ?? [], name, value);
      return;
    case 'LABEL':
      config.Labels = { ...(config.Labels ?? {}) };
      for (const [name, value] of namedValues(instruction, context)) config.Labels[name] = value;
      return;
    case 'EXPOSE': {
      const ports = expandWords(args, variables, escape);
      if (ports.length === 0) throw fail('requires at least one argument');
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}) };
      for (const port of ports.flatMap((p) => exposedPorts(p, fail))) config.ExposedPorts[port] = {};
      return;
    }
    case 'VOLUME': {
      const paths = instruction.json ?? expandWords(args, variables, escape);
      if (paths.length === 0 || paths.some((p) => p.trim() === '')) throw fail('requires at least one non-empty argument');
      config.Volumes = { ...(config.Volumes ?? {}) };
      for (const path of paths) config.Volumes[path] = {};
      return;
    }
    case 'USER':
      config.User = one();
      return;
    case 'WORKDIR':
      config.WorkingDir = posix.resolve(config.WorkingDir || '/', one());
      return;
    case 'STOPSIGNAL':
      config.StopSignal = one();
      return;
    default:
      throw fail('not a config instruction');
  }
}

/** `name=value …` pairs, or the legacy `name value` form (one pair, the value the rest of the line), expanded. */
function namedValues(instruction: DockerfileInstruction, context: ConfigInstructionContext): Array<[string, string]> {
  const { variables, escape } = context;
  const words = splitWords(instruction.args, escape);
  if (words.length === 0) throw new InvalidArgumentError(`dockerfile line ${instruction.line}: ${instruction.keyword} requires at least one argument`);
  if (!words[0].includes('=')) {
    const legacy = /^(\S+)\s+([\s\S]+)$/.exec(instruction.args);
    if (!legacy) throw new InvalidArgumentError(`dockerfile line ${instruction.line}: ${instruction.keyword} must have two arguments`);
    return [[expandWord(legacy[1], variables, escape), expandWord(legacy[2], variables, escape)]];
  }
  return words.map((word) => {
    const at = word.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`dockerfile line ${instruction.line}: ${instruction.keyword} names can not be blank: "${word}"`);
    return [expandWord(word.slice(0, at), variables, escape), expandWord(word.slice(at + 1), variables, escape)];
  });
}

/** Replaces or appends `name=value` in an env list. */
export function setEnv(env: string[], name: string, value: string): string[] {
  const entry = `${name}=${value}`;
  const at = env.findIndex((e) => e.split('=', 1)[0] === name);
  return at < 0 ? [...env, entry] : env.map((e, i) => (i === at ? entry : e));
}

function exposedPorts(spec: string, fail: (message: string) => Error): string[] {
  const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (!match) throw fail(`invalid port "${spec}"`);
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (last < first || last > 65535) throw fail(`invalid port range "${spec}"`);
  const protocol = (match[3] ?? 'tcp').toLowerCase();
  return Array.from({ length: last - first + 1 }, (_, i) => `${first + i}/${protocol}`);
}
