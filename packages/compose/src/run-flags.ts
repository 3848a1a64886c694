// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core/client';
import type { PortConfig, ServiceVolume } from './compose-model.js';
import { expandHostPath } from './loader/resolve-paths.js';
import { completePort, parsePortSpec, parseVolumeSpec, ShortSyntaxError } from './loader/short-syntax.js';

/**
 * `compose run -v` values in the long syntax, read as the compose files' short syntax is: relative and `~` host
 * paths start at the project directory.
 */
export function parseRunVolumes(specs: readonly string[], projectDir: string): ServiceVolume[] {
  return specs.map((spec) => {
    const volume = shortSyntax(() => parseVolumeSpec(spec)) as ServiceVolume;
    if (volume.type === 'bind' && volume.source !== undefined) volume.source = expandHostPath(volume.source, projectDir, process.env.HOME);
    return volume;
  });
}

/** `compose run -p` values (`8080:80`, `127.0.0.1:53:53/udp`, ranges) as the ports to publish. */
export function parseRunPorts(specs: readonly string[]): PortConfig[] {
  return specs.flatMap((spec) => shortSyntax(() => parsePortSpec(spec)).map((port) => completePort(port) as PortConfig));
}

/** `-l KEY=VALUE` values as a map. */
export function parseLabelFlags(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((value) => {
      const at = value.indexOf('=');
      if (at <= 0) throw new InvalidArgumentError(`invalid label "${value}"`, { hint: 'write it as KEY=VALUE' });
      return [value.slice(0, at), value.slice(at + 1)];
    }),
  );
}

function shortSyntax<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ShortSyntaxError) throw new InvalidArgumentError(error.message, { cause: error });
    throw error;
  }
}
