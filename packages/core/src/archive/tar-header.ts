// SPDX-License-Identifier: Apache-2.0

/** Bytes in a tar block: a header, and the unit data is padded to. */
export const TAR_BLOCK = 512;

/**
 * Whether `block` starts with a tar header (ustar or v7) whose checksum adds up: how a file is told to be a tar
 * archive. The zero block that ends an archive is not a header.
 */
export function isTarHeader(block: Buffer): boolean {
  if (block.length < TAR_BLOCK || block.subarray(0, TAR_BLOCK).every((byte) => byte === 0)) return false;
  const recorded = Number.parseInt(block.toString('latin1', 148, 156).replace(/\0.*$/s, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return recorded === sum;
}
