// SPDX-License-Identifier: Apache-2.0
import { posix } from 'node:path';
import type { HealthConfig } from '../api/container.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { parseGoDuration } from '../shared/go-duration.js';
import type { ImageRunConfig } from './image-config.js';

/** The Dockerfile instructions `docker import -c` and `docker commit -c` accept (moby `validCommitCommands`). */
const CHANGE_COMMANDS = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];

/**
 * Applies `--change` Dockerfile instructions (`CMD ["sh"]`, `ENV A=b`, `EXPOSE 80/udp`, …) to an image's run
 * config, in order, as moby's `BuildFromConfig` dispatches them: `$VAR` is expanded from the config's `Env` where a
 * Dockerfile would expand it, and `ENTRYPOINT` clears a `Cmd` no earlier change set. Returns a new config.
 */
export function applyConfigChanges(base: ImageRunConfig, changes: readonly string[]): ImageRunConfig {
  const config: ImageRunConfig = structuredClone(base);
  let cmdSet = false;
  for (const change of changes.flatMap((text) => text.split('\n')).map((line) => line.trim())) {
    if (change === '' || change.startsWith('#')) continue;
    const [, keyword, rest = ''] = /^(\S+)\s*(.*)$/s.exec(change) ?? [];
    const command = keyword.toUpperCase();
    if (!CHANGE_COMMANDS.includes(command)) throw new InvalidArgumentError(`${keyword} is not a valid change command`);
    const env = envMap(config.Env);
    const need = (ok: boolean, what: string) => {
      if (!ok) throw new InvalidArgumentError(`${command} requires ${what}`);
    };
    switch (command) {
      case 'CMD':
        config.Cmd = commandForm(rest);
        cmdSet = true;
        break;
      case 'ENTRYPOINT':
        config.Entrypoint = commandForm(rest);
        if (!cmdSet) config.Cmd = null;
        break;
      case 'ENV': {
        const pairs = keyValues(rest, env, command);
        need(pairs.length > 0, 'at least one argument');
        const vars = [...(config.Env ?? [])];
        for (const [key, value] of pairs) {
          const at = vars.findIndex((v) => v.split('=')[0] === key);
          if (at >= 0) vars[at] = `${key}=${value}`;
          else vars.push(`${key}=${value}`);
          env.set(key, value);
        }
        config.Env = vars;
        break;
      }
      case 'LABEL': {
        const pairs = keyValues(rest, env, command);
        need(pairs.length > 0, 'at least one argument');
        config.Labels = { ...config.Labels, ...Object.fromEntries(pairs) };
        break;
      }
      case 'EXPOSE': {
        const ports = words(rest, env);
        need(ports.length > 0, 'at least one argument');
        config.ExposedPorts = { ...config.ExposedPorts };
        for (const port of ports.flatMap(exposedPorts)) config.ExposedPorts[port] = {};
        break;
      }
      case 'VOLUME': {
        const paths = jsonArray(rest) ?? words(rest, env);
        need(paths.length > 0 && paths.every((p) => p.trim() !== ''), 'at least one non-empty path');
        config.Volumes = { ...config.Volumes, ...Object.fromEntries(paths.map((p) => [p, {}])) };
        break;
      }
      case 'USER':
      case 'STOPSIGNAL':
      case 'WORKDIR': {
        const [value, ...extra] = words(rest, env);
        need(value !== undefined && extra.length === 0, 'exactly one argument');
        if (command === 'USER') config.User = value;
        else if (command === 'STOPSIGNAL') config.StopSignal = value;
        // As a Dockerfile's: relative to the previous working directory.
        else config.WorkingDir = posix.resolve(config.WorkingDir || '/', value);
        break;
      }
      case 'HEALTHCHECK':
        config.Healthcheck = healthcheck(rest);
        break;
      case 'ONBUILD': {
        const trigger = /^\S+/.exec(rest)?.[0].toUpperCase();
        need(trigger !== undefined, 'at least one argument');
        if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(trigger!)) throw new InvalidArgumentError(`${trigger} isn't allowed as an ONBUILD trigger`);
        config.OnBuild = [...(config.OnBuild ?? []), rest];
        break;
      }
    }
  }
  return config;
}

/** `NONE`, or `[--interval=30s] [--timeout=…] [--start-period=…] [--start-interval=…] [--retries=N] CMD …`. */
function healthcheck(text: string): HealthConfig {
  if (/^none$/i.test(text.trim())) return { Test: ['NONE'] };
  const health: HealthConfig = {};
  let rest = text.trim();
  for (let option = /^--([a-z-]+)=(\S*)\s*/.exec(rest); option; option = /^--([a-z-]+)=(\S*)\s*/.exec(rest)) {
    const [whole, name, value] = option;
    rest = rest.slice(whole.length);
    if (name === 'retries') {
      health.Retries = Number(value);
      if (!Number.isInteger(health.Retries) || health.Retries < 0) throw new InvalidArgumentError(`HEALTHCHECK: invalid --retries value "${value}"`);
      continue;
    }
    const field = ({ interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval' } as const)[name];
    if (!field) throw new InvalidArgumentError(`HEALTHCHECK: unknown flag: --${name}`);
    const ms = parseGoDuration(value);
    if (ms === undefined) throw new InvalidArgumentError(`HEALTHCHECK: invalid --${name} duration "${value}"`);
    health[field] = Math.round(ms * 1e6);
  }
  const [, keyword, command = ''] = /^(\S+)\s*(.*)$/s.exec(rest) ?? [];
  if (keyword?.toUpperCase() !== 'CMD' || command === '') throw new InvalidArgumentError('HEALTHCHECK requires NONE, or CMD and a command');
  const exec = jsonArray(command);
  return { ...health, Test: exec ? ['CMD', ...exec] : ['CMD-SHELL', command] };
}

/** `["a","b"]` (exec form) as it is, anything else (shell form) run by `/bin/sh -c`. */
function commandForm(text: string): string[] {
  return jsonArray(text) ?? ['/bin/sh', '-c', text];
}

/** A JSON array of strings, or undefined when `text` is not one (then Docker takes it as shell form). */
function jsonArray(text: string): string[] | undefined {
  if (!text.trimStart().startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `K=v K2="v 2"`, or the legacy one-pair form `K v with spaces`. */
function keyValues(text: string, env: Map<string, string>, command: string): [string, string][] {
  const raw = rawWords(text);
  if (raw.length > 0 && !raw[0].includes('=')) {
    const [key, ...value] = words(text, env);
    if (value.length === 0) throw new InvalidArgumentError(`${command} names can not be blank`);
    return [[key, value.join(' ')]];
  }
  return raw.map((word) => {
    const [expanded] = words(word, env);
    const at = expanded?.indexOf('=') ?? -1;
    if (at <= 0) throw new InvalidArgumentError(`${command}: syntax error - can't find = in "${word}". Must be of the form: name=value`);
    return [expanded.slice(0, at), expanded.slice(at + 1)];
  });
}

/** Whitespace-separated words as written, quotes kept: where one key=value pair ends. */
function rawWords(text: string): string[] {
  return [...text.matchAll(/(?:"(?:\\.|[^"\\])*"|'[^']*'|\\.|\S)+/gs)].map((match) => match[0]);
}

/** Words as a Dockerfile's shell lexer makes them: quotes removed, backslash escapes and `$VAR`/`${VAR}` applied. */
function words(text: string, env: Map<string, string>): string[] {
  const result: string[] = [];
  let word: string | undefined;
  const append = (s: string) => {
    word = (word ?? '') + s;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (word !== undefined) result.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new InvalidArgumentError(`unexpected end of statement while looking for matching single-quote in ${text}`);
      append(text.slice(i + 1, end));
      i = end;
    } else if (c === '"') {
      append('');
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$'.includes(text[i + 1])) append(text[++i]);
        else if (text[i] === '$') i = expand(text, i, env, append);
        else append(text[i]);
      }
      if (i >= text.length) throw new InvalidArgumentError(`unexpected end of statement while looking for matching double-quote in ${text}`);
    } else if (c === '\\' && i + 1 < text.length) {
      append(text[++i]);
    } else if (c === '$') {
      i = expand(text, i, env, append);
    } else {
      append(c);
    }
  }
  if (word !== undefined) result.push(word);
  return result;
}

/** Expands the variable at `text[at]` (`$NAME`, `${NAME}`, `${NAME:-default}`); returns the index of its last character. */
function expand(text: string, at: number, env: Map<string, string>, append: (s: string) => void): number {
  const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-+])([^}]*))?\}/.exec(text.slice(at));
  if (braced) {
    const [whole, name, operator, word = ''] = braced;
    const value = env.get(name) ?? '';
    if (operator === ':-') append(value || word);
    else if (operator === ':+') append(value ? word : '');
    else append(value);
    return at + whole.length - 1;
  }
  const plain = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(at));
  if (!plain) {
    append('$');
    return at;
  }
  append(env.get(plain[1]) ?? '');
  return at + plain[0].length - 1;
}

function envMap(vars: string[] | undefined): Map<string, string> {
  return new Map((vars ?? []).map((v) => [v.split('=')[0], v.slice(v.indexOf('=') + 1)] as [string, string]));
}

/** `80`, `80/udp`, `8000-8002/tcp` as the `port/proto` keys of `ExposedPorts`. */
function exposedPorts(spec: string): string[] {
  const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (!match) throw new InvalidArgumentError(`invalid containerPort: ${spec}`);
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first < 1 || last > 65535 || last < first) throw new InvalidArgumentError(`invalid port range: ${spec}`);
  const proto = (match[3] ?? 'tcp').toLowerCase();
  return Array.from({ length: last - first + 1 }, (_, i) => `${first + i}/${proto}`);
}
