// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError, NotFoundError, isNotFound, type ConcurrencyLimit, type EngineClient } from '@tsc-engine/core/client';
import type { ComposeProject } from '../compose-model.js';
import { reportStep, type ProgressWriter } from './progress-writer.js';

/** `--pull` of up/create, and a service's `pull_policy` (`if_not_present` is `missing`). */
export type PullPolicy = 'always' | 'missing' | 'never';

export function toPullPolicy(value: string): PullPolicy {
  if (value === 'if_not_present') return 'missing';
  if (value === 'always' || value === 'missing' || value === 'never') return value;
  throw new InvalidArgumentError(`invalid pull policy "${value}"`, { hint: 'use always, missing or never' });
}

/**
 * Pulls the images of `services` that the policy asks for — `override` (the `--pull` flag) or else each service's
 * `pull_policy`, `missing` by default — each image once however many services use it, at most `limit` at once.
 */
export async function pullImages(
  client: EngineClient,
  project: ComposeProject,
  services: readonly string[],
  limit: ConcurrencyLimit,
  progress: ProgressWriter,
  override?: PullPolicy,
): Promise<void> {
  const wanted = new Map<string, PullPolicy>();
  for (const name of services) {
    const { image, build, pull_policy: policy } = project.services[name];
    // A service with `build:` gets its image from the builder, which pulls the FROM images it needs.
    if (image === undefined || build !== undefined) continue;
    const chosen = override ?? (typeof policy === 'string' ? toPullPolicy(policy) : 'missing');
    // One image used with two policies: the stronger one wins.
    if (wanted.get(image) !== 'always') wanted.set(image, chosen);
  }
  await limit.all([...wanted], async ([image, policy]) => {
    if (policy !== 'always' && (await imagePresent(client, image))) return;
    if (policy === 'never') {
      throw new NotFoundError(`image ${image} is not present and its pull policy is never`, { hint: `pull it first: tsc-engine pull ${image}` });
    }
    await reportStep(progress, { kind: 'Image', name: image }, 'Pulling', 'Pulled', () => client.pullImage({ image }));
  });
}

/** Whether the engine has `image`. */
export async function imagePresent(client: EngineClient, image: string): Promise<boolean> {
  try {
    await client.inspectImage(image);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
