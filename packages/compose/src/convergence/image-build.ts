// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError, NotImplementedError, packBuildContext, type BuildOptions, type ConcurrencyLimit, type EngineClient } from '@tsc-engine/core/client';
import type { BuildConfig, ComposeProject } from '../compose-model.js';
import { imagePresent } from './image-pull.js';
import { reportStep, type ProgressWriter } from './progress-writer.js';

/** When `up`/`create` build: `always` (`--build`), `missing` (default: only images not present) or `never`. */
export type BuildPolicy = 'always' | 'missing' | 'never';

/**
 * The image a service runs: its `image`, or for a service with only `build:` the `<project>-<service>` that
 * docker compose v2 tags the build with.
 */
export function serviceImageName(project: ComposeProject, service: string): string | undefined {
  const { image, build } = project.services[service];
  return image ?? (build === undefined ? undefined : `${project.name}-${service}`);
}

/**
 * Builds the images of those of `services` that have a `build:` section (with `missing`, only those whose image is
 * not present yet), tagged with {@link serviceImageName}, at most `limit` at once.
 */
export async function buildImages(
  client: EngineClient,
  project: ComposeProject,
  services: readonly string[],
  limit: ConcurrencyLimit,
  progress: ProgressWriter,
  policy: BuildPolicy = 'missing',
  options: Pick<BuildOptions, 'pull'> = {},
): Promise<void> {
  if (policy === 'never') return;
  const buildable = services.filter((name) => project.services[name].build !== undefined);
  await limit.all(buildable, async (service) => {
    const image = serviceImageName(project, service)!;
    if (policy === 'missing' && (await imagePresent(client, image))) return;
    await reportStep(progress, { kind: 'Image', name: image }, 'Building', 'Built', () =>
      buildService(client, service, project.services[service].build!, image, options),
    );
  });
}

async function buildService(client: EngineClient, service: string, build: BuildConfig, image: string, options: Pick<BuildOptions, 'pull'>): Promise<void> {
  const { context, dockerfile, args, labels, target, network } = build;
  if (target !== undefined) {
    throw new NotImplementedError(`service "${service}": build.target is not supported: the builder builds a single stage`, {
      hint: 'remove build.target, or put the target stage in a Dockerfile of its own',
    });
  }
  if (typeof context !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@')) {
    throw new InvalidArgumentError(`service "${service}": build.context must be a local directory, not "${String(context)}"`);
  }
  const packed = await packBuildContext(context, dockerfile);
  await client.buildImage(packed.tar, {
    tags: [image],
    dockerfile: packed.dockerfile,
    // A build arg without a value takes the variable from this environment, and is left unset when it has none.
    buildArgs: Object.fromEntries(
      Object.entries(args ?? {}).flatMap(([name, value]) => {
        const resolved = value ?? process.env[name];
        return resolved === undefined ? [] : [[name, resolved]];
      }),
    ),
    labels,
    networkMode: network,
    pull: options.pull,
  });
}
