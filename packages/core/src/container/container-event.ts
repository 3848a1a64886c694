// SPDX-License-Identifier: Apache-2.0
import type { EngineEvent } from '../events/engine-event.js';
import type { ContainerRecord } from './container-record.js';

/**
 * A container event as moby's `LogContainerEventWithAttributes` makes it: the container's labels, then its image
 * and name, then what the action adds (`exitCode`, `signal`, `execID`), each over what came before.
 */
export function containerEvent(
  record: ContainerRecord,
  action: string,
  extra: Record<string, string> = {},
): Omit<EngineEvent, 'scope' | 'time' | 'timeNano'> {
  return {
    Type: 'container',
    Action: action,
    Actor: { ID: record.id, Attributes: { ...record.config.Labels, image: record.config.Image ?? '', name: record.name, ...extra } },
  };
}
