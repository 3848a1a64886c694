// SPDX-License-Identifier: Apache-2.0

/** What the splitter needs to know of a flag: whether it takes a value. */
export interface FlagShape {
  type: 'boolean' | 'option';
  char?: string;
  allowNo?: boolean;
}

/**
 * Splits argv after its first operand (`run`'s image, `exec`'s container, `compose run`'s service): everything up
 * to and including it is ours to parse, everything after is the container's command, flags included (`run busybox
 * ls -l` must not read `-l` as `--label`). oclif's parser keeps reading flags after arguments, so the cut is made
 * before it sees them.
 */
export function splitAtOperand(argv: string[], flags: Record<string, FlagShape>): { own: string[]; command: string[] } {
  const byChar = new Map(Object.values(flags).filter((f) => f.char).map((f) => [f.char, f]));
  const takesValue = (flag: FlagShape | undefined) => flag?.type === 'option';
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') return { own: [...argv.slice(0, i), ...argv.slice(i + 1, i + 2)], command: argv.slice(i + 2) };
    if (!token.startsWith('-') || token === '-') return { own: argv.slice(0, i + 1), command: argv.slice(i + 1) };
    if (token.startsWith('--')) {
      if (!token.includes('=') && takesValue(flags[token.slice(2)])) i++;
      continue;
    }
    // Short flags may be bundled (`-dl x`): the first that takes a value ends the bundle, its value attached or next.
    for (let c = 1; c < token.length; c++) {
      if (takesValue(byChar.get(token[c]))) {
        if (c === token.length - 1) i++;
        break;
      }
    }
  }
  return { own: argv, command: [] };
}
