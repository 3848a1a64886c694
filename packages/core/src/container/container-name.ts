// SPDX-License-Identifier: Apache-2.0
import { randomInt } from 'node:crypto';
import { InvalidArgumentError } from '../errors/engine-error.js';

const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Checks a user-given name as Docker does and strips its optional leading slash. */
export function validateContainerName(name: string): string {
  if (!VALID_NAME.test(name)) {
    throw new InvalidArgumentError(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return name.replace(/^\//, '');
}

const ADJECTIVES = [
  'brave', 'calm', 'eager', 'fervent', 'gifted', 'happy', 'jolly', 'keen', 'lucid', 'nifty', 'quirky', 'serene',
  'tender', 'upbeat', 'vibrant', 'wizardly', 'zealous', 'bold', 'clever', 'dreamy',
];
const SURNAMES = [
  'babbage', 'curie', 'dijkstra', 'euler', 'franklin', 'goldberg', 'hopper', 'johnson', 'kepler', 'lamport',
  'liskov', 'lovelace', 'noether', 'pike', 'ritchie', 'shannon', 'thompson', 'turing', 'wozniak', 'yonath',
];

/** A Docker-style `adjective_surname` name; callers retry on collision. */
export function randomContainerName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${SURNAMES[randomInt(SURNAMES.length)]}`;
}
