// SPDX-License-Identifier: Apache-2.0

/** glibc's `major()` for a Linux dev_t. */
export function major(dev: number): number {
  return ((dev >>> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
}

/** glibc's `minor()` for a Linux dev_t. */
export function minor(dev: number): number {
  return (dev & 0xff) | ((dev >>> 12) & ~0xff);
}
