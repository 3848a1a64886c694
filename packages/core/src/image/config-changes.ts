// SPDX-License-Identifier: Apache-2.0
import { applyConfigInstruction, CONFIG_INSTRUCTIONS, envEntries } from '../build/config-instructions.js';
import { parseInstruction } from '../build/dockerfile-parser.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { ImageRunConfig } from './image-config.js';

/**
 * Applies `--change` Dockerfile instructions (`CMD ["sh"]`, `ENV A=b`, `EXPOSE 80/udp`, …) to an image's run
 * config, in order, as moby's `BuildFromConfig` dispatches them with the builder's code: `$VAR` is expanded from
 * the config's `Env` where a Dockerfile would expand it, and `ENTRYPOINT` clears a `Cmd` no earlier change set.
 * Returns a new config.
 */
export function applyConfigChanges(base: ImageRunConfig, changes: readonly string[]): ImageRunConfig {
  const config: ImageRunConfig = structuredClone(base);
  let cmdSet = false;
  for (const change of changes.flatMap((text) => text.split('\n')).map((line) => line.trim())) {
    if (change === '' || change.startsWith('#')) continue;
    const instruction = parseInstruction(change);
    if (!CONFIG_INSTRUCTIONS.has(instruction.keyword)) throw new InvalidArgumentError(`${change.split(/\s/, 1)[0]} is not a valid change command`);
    applyConfigInstruction(config, instruction, { variables: new Map(envEntries(config.Env)) });
    if (instruction.keyword === 'CMD') cmdSet = true;
    if (instruction.keyword === 'ENTRYPOINT' && !cmdSet) config.Cmd = null;
  }
  return config;
}
