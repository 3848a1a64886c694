// SPDX-License-Identifier: Apache-2.0
import { sha256Digest } from '../content/digest.js';

/**
 * Chain ids of a layer stack (image-spec `config.md`): the first is its diff id, each next one
 * `sha256(chainId(n-1) + " " + diffId(n))`, so a chain id names a layer together with everything below it.
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const chain: string[] = [];
  for (const diffId of diffIds) chain.push(chain.length === 0 ? diffId : sha256Digest(`${chain[chain.length - 1]} ${diffId}`));
  return chain;
}
