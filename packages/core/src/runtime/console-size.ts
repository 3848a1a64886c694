// SPDX-License-Identifier: Apache-2.0
import type { OciProcess } from './oci-spec.js';

/** A terminal's size as the OCI spec gives it at creation (`process.consoleSize`). */
export type ConsoleSize = NonNullable<OciProcess['consoleSize']>;

/**
 * The `process.consoleSize` of Docker's `[height, width]` (`HostConfig.ConsoleSize`, an exec's `ConsoleSize`), or
 * undefined when it sets none: Docker's `[0, 0]` means "no size given", and anything but two whole numbers is
 * ignored rather than refused, as a missing size was before clients sent one.
 */
export function consoleSize(pair: readonly number[] | null | undefined): ConsoleSize | undefined {
  if (!Array.isArray(pair) || pair.length !== 2) return undefined;
  const [height, width] = pair;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 0 || width < 0) return undefined;
  return height > 0 || width > 0 ? { height, width } : undefined;
}
