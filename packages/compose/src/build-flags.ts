// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import type { BuildPolicy } from './convergence/image-build.js';

/** `--build` and `--no-build` of `up` and `create`. */
export const buildFlags = {
  build: Flags.boolean({ description: 'build images before starting containers, even when present', exclusive: ['no-build'] }),
  'no-build': Flags.boolean({ description: "don't build an image, even if it's missing" }),
};

/** The build policy the flags ask for; undefined (build what is missing) without either. */
export function buildPolicyOf(flags: { build?: boolean; 'no-build'?: boolean }): BuildPolicy | undefined {
  if (flags.build) return 'always';
  return flags['no-build'] ? 'never' : undefined;
}
