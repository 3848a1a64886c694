// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';

/**
 * Sizes as docker's `units.RAMInBytes` reads them (memory flags, tmpfs sizes, compose's `mem_limit`): `64m`,
 * `1.5g`, `512k`, `1024`, with binary units and an optional `i`/`b` suffix.
 */
export function ramInBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i.exec(text);
  if (!match) throw new InvalidArgumentError(`invalid size: '${text}'`);
  const power = match[2] ? 'kmgtp'.indexOf(match[2].toLowerCase()) + 1 : 0;
  return Math.floor(Number(match[1]) * 1024 ** power);
}

/**
 * A CPU count (`--cpus 1.5`, compose's `cpus: 0.5`) in units of 1e-9 CPUs, exactly as docker's `opts.NanoCPUs`:
 * a decimal with at most nine fraction digits.
 */
export function nanoCpus(text: string): number {
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match || (match[1] === '' && !match[2])) throw new InvalidArgumentError(`failed to parse ${text} as a rational number`);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 9) throw new InvalidArgumentError('value is too precise');
  return Number(match[1] || '0') * 1e9 + Number(fraction.padEnd(9, '0'));
}
