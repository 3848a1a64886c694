// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { InvalidArgumentError, parseGoDuration, type HealthConfig } from '@tsc-engine/core/client';

/** The healthcheck flags of `run` and `create`, named as docker's. */
export const healthFlags = {
  'health-cmd': Flags.string({ description: 'command to run to check health (run by /bin/sh -c)' }),
  'health-interval': Flags.string({ description: 'time between running the check (ms|s|m|h) (default 30s)' }),
  'health-timeout': Flags.string({ description: 'maximum time to allow one check to run (ms|s|m|h) (default 30s)' }),
  'health-retries': Flags.integer({ description: 'consecutive failures needed to report unhealthy (default 3)', min: 0 }),
  'health-start-period': Flags.string({ description: 'start period during which failures do not count (ms|s|m|h) (default 0s)' }),
  'no-healthcheck': Flags.boolean({ description: 'disable any container-specified HEALTHCHECK' }),
};

export interface HealthFlagValues {
  'health-cmd'?: string;
  'health-interval'?: string;
  'health-timeout'?: string;
  'health-retries'?: number;
  'health-start-period'?: string;
  'no-healthcheck'?: boolean;
}

/** `Config.Healthcheck` from the flags as docker's CLI builds it, or undefined when none was given. */
export function healthcheckFromFlags(flags: HealthFlagValues): HealthConfig | undefined {
  const given = flags['health-cmd'] !== undefined || flags['health-interval'] !== undefined ||
    flags['health-timeout'] !== undefined || flags['health-retries'] !== undefined || flags['health-start-period'] !== undefined;
  if (flags['no-healthcheck']) {
    if (given) throw new InvalidArgumentError('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if (!given) return undefined;
  return {
    Test: flags['health-cmd'] ? ['CMD-SHELL', flags['health-cmd']] : undefined,
    Interval: durationNs(flags['health-interval'], '--health-interval'),
    Timeout: durationNs(flags['health-timeout'], '--health-timeout'),
    Retries: flags['health-retries'],
    StartPeriod: durationNs(flags['health-start-period'], '--health-start-period'),
  };
}

/** A Go duration (`200ms`, `1m30s`) in nanoseconds, as docker's duration flags take them. */
function durationNs(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseGoDuration(text);
  if (ms === undefined) {
    throw new InvalidArgumentError(`invalid argument "${text}" for "${flag}" flag: time: invalid duration "${text}"`);
  }
  return Math.round(ms * 1e6);
}
