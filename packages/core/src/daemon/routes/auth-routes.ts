// SPDX-License-Identifier: Apache-2.0
import type { LoginResult, RegistryAuth } from '../../registry/registry.js';
import { readJsonBody, sendJson } from '../http-responses.js';
import type { Route } from '../route.js';

export interface AuthBackend {
  /** Checks credentials with the registry `auth.serveraddress` names (Docker Hub when empty). */
  login(auth: RegistryAuth): Promise<LoginResult>;
}

/** `POST /auth` (`docker login`): 200 with the registry's answer, 401 when it refuses the credentials. */
export function authRoutes(backend: AuthBackend): Route[] {
  return [
    {
      method: 'POST',
      path: '/auth',
      handler: async ({ req, res }) => {
        const { status, identityToken } = await backend.login(await readJsonBody<RegistryAuth>(req));
        sendJson(res, 200, { Status: status, IdentityToken: identityToken ?? '' });
      },
    },
  ];
}
