// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';

/** Variables a word is expanded with: build args and `ENV` values, later ones winning. */
export type BuildVariables = ReadonlyMap<string, string>;

/**
 * Splits instruction arguments into words at unquoted white space, keeping quotes and escapes for
 * {@link expandWord} (moby's `parseWords`, used for `ENV`/`LABEL` pairs and shell-form `COPY`, `EXPOSE`, …).
 */
export function splitWords(text: string, escape = '\\'): string[] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escape && quote !== "'" && i + 1 < text.length) {
      word += c + text[++i];
    } else if (quote) {
      if (c === quote) quote = '';
      word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word += c;
    } else if (/\s/.test(c)) {
      if (word) words.push(word);
      word = '';
    } else word += c;
  }
  if (word) words.push(word);
  return words;
}

/**
 * Expands one word as Docker's builder does (moby's `shell.Lex.ProcessWord`): `$VAR`, `${VAR}`, `${VAR:-x}`,
 * `${VAR-x}`, `${VAR:+x}`, `${VAR+x}`, `${VAR:?msg}`; quotes removed (nothing expands inside single quotes); the
 * escape character takes the next one literally. An unset variable is empty.
 */
export function expandWord(word: string, variables: BuildVariables, escape = '\\'): string {
  return new WordExpander(word, variables, escape).expand();
}

/** Expands, then splits at unquoted white space: for arguments that are several words (`EXPOSE $PORTS`). */
export function expandWords(text: string, variables: BuildVariables, escape = '\\'): string[] {
  return splitWords(text, escape).map((word) => expandWord(word, variables, escape));
}

class WordExpander {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly variables: BuildVariables,
    private readonly escape: string,
  ) {}

  expand(stopAt?: string): string {
    let out = '';
    const { text } = this;
    while (this.i < text.length) {
      const c = text[this.i];
      if (stopAt !== undefined && c === stopAt) return out;
      if (c === "'") {
        const end = text.indexOf("'", this.i + 1);
        if (end < 0) throw new InvalidArgumentError(`unexpected end of statement while looking for matching single-quote in "${text}"`);
        out += text.slice(this.i + 1, end);
        this.i = end + 1;
      } else if (c === '"') {
        this.i++;
        out += this.doubleQuoted();
      } else if (c === this.escape) {
        this.i++;
        if (this.i < text.length) out += text[this.i++];
      } else if (c === '$') {
        out += this.dollar();
      } else {
        out += c;
        this.i++;
      }
    }
    if (stopAt !== undefined) throw new InvalidArgumentError(`missing '${stopAt}' in "${text}"`);
    return out;
  }

  private doubleQuoted(): string {
    let out = '';
    const { text } = this;
    while (this.i < text.length && text[this.i] !== '"') {
      const c = text[this.i];
      if (c === '$') {
        out += this.dollar();
        continue;
      }
      if (c === this.escape && this.i + 1 < text.length && ['"', '$', this.escape].includes(text[this.i + 1])) this.i++;
      out += text[this.i++];
    }
    if (this.i >= text.length) throw new InvalidArgumentError(`unexpected end of statement while looking for matching double-quote in "${text}"`);
    this.i++;
    return out;
  }

  /** At a `$`: the variable's value, or the `$` itself when no name follows. */
  private dollar(): string {
    const { text } = this;
    this.i++;
    if (text[this.i] !== '{') {
      const name = /^[A-Za-z0-9_]+/.exec(text.slice(this.i))?.[0];
      if (!name) return '$';
      this.i += name.length;
      return this.variables.get(name) ?? '';
    }
    this.i++;
    const name = /^[A-Za-z0-9_]+/.exec(text.slice(this.i))?.[0];
    if (!name) throw new InvalidArgumentError(`bad substitution in "${text}"`);
    this.i += name.length;
    const value = this.variables.get(name);
    if (text[this.i] === '}') {
      this.i++;
      return value ?? '';
    }
    const operator = /^(:?[-+?])/.exec(text.slice(this.i))?.[0];
    if (!operator) throw new InvalidArgumentError(`unsupported modifier (${text[this.i]}) in substitution in "${text}"`);
    this.i += operator.length;
    const word = this.expand('}');
    this.i++;
    const set = operator.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
    switch (operator.slice(-1)) {
      case '-':
        return set ? value! : word;
      case '+':
        return set ? word : '';
      default:
        if (!set) throw new InvalidArgumentError(`${name}: ${word || 'is not allowed to be unset'}`);
        return value!;
    }
  }
}
