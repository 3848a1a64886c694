// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';

/** One instruction of a Dockerfile, continuation lines joined, comments removed; nothing expanded yet. */
export interface DockerfileInstruction {
  /** Upper case: `RUN`, `COPY`. */
  keyword: string;
  /** `--name=value` options before the arguments (`COPY --chown=1:1`, `FROM --platform=…`); a bare `--link` is `true`. */
  flags: Record<string, string>;
  /** The arguments as written (after the flags), quotes and variables untouched. */
  args: string;
  /** The arguments in exec form (`["a","b"]`), when they are a JSON array of strings. */
  json?: string[];
  /** Where the instruction starts, 1-based. */
  line: number;
}

export interface Dockerfile {
  instructions: DockerfileInstruction[];
  /** The escape character: `\` unless the `# escape=` directive says `` ` ``. */
  escape: string;
}

/** Instructions whose leading `--name=value` words are options, as BuildKit parses them. */
const FLAGGED = new Set(['ADD', 'COPY', 'FROM', 'RUN', 'HEALTHCHECK']);

/**
 * Parses a Dockerfile as Docker's parser does: parser directives (`# escape=`) at the very top, `#` comment lines
 * (also between continuation lines), lines continued with the escape character, instructions case-insensitive.
 * Heredocs (`<<EOF`) are not supported.
 */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let index = 0;
  // Directives end at the first line that is not one, including a blank line or an ordinary comment.
  for (const seen = new Set<string>(); index < lines.length; index++) {
    const directive = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/.exec(lines[index]);
    if (!directive) break;
    const name = directive[1].toLowerCase();
    if (seen.has(name)) throw new InvalidArgumentError(`dockerfile line ${index + 1}: only one ${name} parser directive can be used`);
    seen.add(name);
    if (name === 'escape') {
      if (directive[2] !== '\\' && directive[2] !== '`') {
        throw new InvalidArgumentError(`dockerfile line ${index + 1}: invalid escape token '${directive[2]}' does not match ` + '` or \\');
      }
      escape = directive[2];
    }
  }
  const instructions: DockerfileInstruction[] = [];
  while (index < lines.length) {
    const start = index;
    let joined = '';
    let continued = false;
    for (; index < lines.length; index++) {
      const line = lines[index];
      if (isComment(line) || (continued && line.trim() === '')) continue;
      if (!continued && line.trim() === '') break;
      const trimmed = line.replace(/\s+$/, '');
      continued = trimmed.endsWith(escape);
      joined += continued ? trimmed.slice(0, -1) : line;
      if (!continued) break;
    }
    index++;
    if (joined.trim() === '') continue;
    instructions.push(parseInstruction(joined.trim(), lineOfFirst(lines, start)));
  }
  return { instructions, escape };
}

/** Parses one instruction line, as given to `docker commit --change`. */
export function parseInstruction(text: string, line = 1): DockerfileInstruction {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`dockerfile line ${line}: empty instruction`);
  const keyword = match[1].toUpperCase();
  let args = match[2];
  const flags: Record<string, string> = {};
  if (FLAGGED.has(keyword)) {
    for (let flag = /^--([a-zA-Z-]+)(?:=(\S*))?(?:\s+|$)/.exec(args); flag; flag = /^--([a-zA-Z-]+)(?:=(\S*))?(?:\s+|$)/.exec(args)) {
      flags[flag[1].toLowerCase()] = flag[2] ?? 'true';
      args = args.slice(flag[0].length);
    }
  }
  args = args.trim();
  return { keyword, flags, args, json: parseJsonArray(args), line };
}

/** A JSON array of strings (exec form), or undefined when `args` is not one (then Docker takes it as shell form). */
export function parseJsonArray(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
  } catch {
    // Not JSON after all: shell form, as Docker treats it.
    return undefined;
  }
}

function isComment(line: string): boolean {
  return /^\s*#/.test(line);
}

/** The line the instruction's text starts on (comments and blank lines before it skipped), 1-based. */
function lineOfFirst(lines: string[], from: number): number {
  let i = from;
  while (i < lines.length && (lines[i].trim() === '' || isComment(lines[i]))) i++;
  return i + 1;
}
