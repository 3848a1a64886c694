// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { buildFlags, buildPolicyOf } from './build-flags.js';
import { toPullPolicy } from './convergence/image-pull.js';
import type { ConvergeOptions } from './convergence/project-converger.js';
import { parseScaleFlags } from './scale-flags.js';

/** The flags `up` and `create` share: what to converge and when to recreate, pull or build. */
export const convergeFlags = {
  scale: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'SERVICE=NUM: replicas of a service (repeatable)' }),
  'remove-orphans': Flags.boolean({ description: 'remove containers of services not in the compose files' }),
  'force-recreate': Flags.boolean({ description: 'recreate containers even when nothing changed', exclusive: ['no-recreate'] }),
  'no-recreate': Flags.boolean({ description: 'keep existing containers even when their configuration changed' }),
  pull: Flags.string({ description: 'pull images: always, missing (default) or never', options: ['always', 'missing', 'never'] }),
  ...buildFlags,
};

interface ConvergeFlagValues {
  scale?: string[];
  'remove-orphans'?: boolean;
  'force-recreate'?: boolean;
  'no-recreate'?: boolean;
  pull?: string;
  build?: boolean;
  'no-build'?: boolean;
}

/** The converger's options for `services` as {@link convergeFlags} ask. */
export function convergeOptionsOf(flags: ConvergeFlagValues, services: string[]): ConvergeOptions & { services: string[]; scale: Record<string, number> } {
  return {
    services,
    scale: parseScaleFlags(flags.scale ?? []),
    forceRecreate: flags['force-recreate'],
    noRecreate: flags['no-recreate'],
    removeOrphans: flags['remove-orphans'],
    pull: flags.pull === undefined ? undefined : toPullPolicy(flags.pull),
    build: buildPolicyOf(flags),
  };
}
