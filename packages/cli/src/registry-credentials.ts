// SPDX-License-Identifier: Apache-2.0
import { DockerConfigCredentials, toPullReference, type RegistryAuth } from '@tsc-engine/core/client';

/**
 * What `login` stored for the registry of `image` (`~/.docker/config.json` or its credential helper), to send as
 * `X-Registry-Auth`; undefined pulls anonymously. Commands import this module lazily: most never need it.
 */
export async function registryAuthFor(image: string): Promise<RegistryAuth | undefined> {
  const [domain] = toPullReference(image).fromImage.split('/');
  return new DockerConfigCredentials().get(domain);
}
