// SPDX-License-Identifier: Apache-2.0
import type { HealthConfig } from '../api/container.js';
import { InvalidArgumentError } from '../errors/engine-error.js';

const SECOND_NS = 1_000_000_000;

/** Docker's defaults for a zero field (moby `daemon/health.go`). */
export const HEALTH_DEFAULTS = { intervalNs: 30 * SECOND_NS, timeoutNs: 30 * SECOND_NS, retries: 3, startPeriodNs: 0 } as const;

/** A healthcheck with the defaults applied and its command resolved, in milliseconds. */
export interface HealthProbe {
  args: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  /** How often to probe during the start period (API 1.44 `StartInterval`); the interval when not set. */
  startIntervalMs: number;
}

/**
 * The container's healthcheck from the image's and the request's, as moby's `merge` does: a request without one
 * takes the image's; one without a test takes the image's test; zero durations and retries take the image's.
 */
export function mergeHealthConfig(image: HealthConfig | undefined, request: HealthConfig | undefined): HealthConfig | undefined {
  if (request) validate(request);
  if (!request) return image;
  if (!image) return request;
  return {
    ...request,
    Test: request.Test?.length ? request.Test : image.Test,
    Interval: request.Interval || image.Interval,
    Timeout: request.Timeout || image.Timeout,
    Retries: request.Retries || image.Retries,
    StartPeriod: request.StartPeriod || image.StartPeriod,
    StartInterval: request.StartInterval || image.StartInterval,
  };
}

/** Docker's checks on create (moby `daemon/container.go` `validateHealthCheck`). */
function validate(config: HealthConfig): void {
  const durations = { Interval: config.Interval, Timeout: config.Timeout, StartPeriod: config.StartPeriod, StartInterval: config.StartInterval };
  for (const [name, value] of Object.entries(durations)) {
    if (value !== undefined && value !== 0 && value < 1_000_000) {
      throw new InvalidArgumentError(`${name} in Healthcheck cannot be less than 1ms`);
    }
  }
  if (config.Retries !== undefined && config.Retries < 0) throw new InvalidArgumentError('Retries in Healthcheck cannot be negative');
  healthProbe(config);
}

/** What to run and when, or undefined when the container has no healthcheck (none, empty, or `["NONE"]`). */
export function healthProbe(config: HealthConfig | undefined): HealthProbe | undefined {
  const test = config?.Test ?? [];
  if (test.length === 0 || test[0] === 'NONE') return undefined;
  let args: string[];
  switch (test[0]) {
    case 'CMD':
      args = test.slice(1);
      break;
    case 'CMD-SHELL':
      args = ['/bin/sh', '-c', test.slice(1).join(' ')];
      break;
    default:
      throw new InvalidArgumentError(`unknown healthcheck type '${test[0]}' (expected CMD, CMD-SHELL or NONE)`);
  }
  if (args.length === 0) return undefined;
  const ms = (ns: number | undefined, fallback: number) => (ns && ns > 0 ? ns : fallback) / 1_000_000;
  const intervalMs = ms(config?.Interval, HEALTH_DEFAULTS.intervalNs);
  return {
    args,
    intervalMs,
    timeoutMs: ms(config?.Timeout, HEALTH_DEFAULTS.timeoutNs),
    retries: config?.Retries && config.Retries > 0 ? config.Retries : HEALTH_DEFAULTS.retries,
    startPeriodMs: ms(config?.StartPeriod, HEALTH_DEFAULTS.startPeriodNs),
    startIntervalMs: ms(config?.StartInterval, intervalMs * 1_000_000),
  };
}
