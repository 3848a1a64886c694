// SPDX-License-Identifier: Apache-2.0
import {
  isNotFound,
  toPullReference,
  type ContainerCreateRequest,
  type EngineClient,
  type ProgressMessage,
} from '@tsc-engine/core/client';
import { ProgressPrinter } from './progress-printer.js';

/** Pulls `image`, printing progress as `docker pull` does; `Using default tag` when none was written. */
export async function pullWithProgress(client: EngineClient, image: string, out: NodeJS.WriteStream, platform?: string): Promise<void> {
  if (toPullReference(image).defaultTag) out.write('Using default tag: latest\n');
  const printer = new ProgressPrinter(out, out.isTTY === true);
  const { registryAuthFor } = await import('./registry-credentials.js');
  const auth = await registryAuthFor(image);
  await client.pullImage({ image, platform, auth }, (message: ProgressMessage) => printer.print(message));
}

/**
 * Creates a container as `docker create`/`run` do: when the image is missing, say so on stderr, pull it with
 * progress on stderr, and create again. Warnings from the daemon go to stderr too.
 */
export async function createContainerPulling(
  client: EngineClient,
  request: ContainerCreateRequest,
  name: string | undefined,
): Promise<string> {
  let created;
  try {
    created = await client.createContainer(request, { name });
  } catch (error) {
    if (!isNotFound(error) || !request.Image) throw error;
    const reference = toPullReference(request.Image);
    process.stderr.write(`Unable to find image '${reference.defaultTag ? `${request.Image}:latest` : request.Image}' locally\n`);
    await pullWithProgress(client, request.Image, process.stderr);
    created = await client.createContainer(request, { name });
  }
  for (const warning of created.Warnings ?? []) process.stderr.write(`WARNING: ${warning}\n`);
  return created.Id;
}
