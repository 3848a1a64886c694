// SPDX-License-Identifier: Apache-2.0
import type { RegistryAuth } from '../registry/registry.js';

/**
 * The `X-Registry-Auth` header value: base64url of the credentials' JSON, as moby decodes it
 * (`base64.URLEncoding`, padded). `{}` asks for an anonymous pull.
 */
export function encodeRegistryAuth(auth: RegistryAuth = {}): string {
  return Buffer.from(JSON.stringify(auth), 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
