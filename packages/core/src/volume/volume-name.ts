// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** Docker's rule for local volume names (moby `volume/local`): they become directory names under the data root. */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function validateVolumeName(name: string): string {
  if (!VOLUME_NAME.test(name)) {
    throw new InvalidArgumentError(
      `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. ` +
        'If you intended to pass a host directory, use absolute path',
    );
  }
  return name;
}

/** The name of an anonymous volume: 64 hex digits, like a container id. */
export function randomVolumeName(): string {
  return randomBytes(32).toString('hex');
}

/** The label Docker (23+) puts on anonymous volumes, by which `volume prune` tells them from named ones. */
export const ANONYMOUS_VOLUME_LABEL = 'com.docker.volume.anonymous';
