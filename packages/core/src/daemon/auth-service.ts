// SPDX-License-Identifier: Apache-2.0
import { inject, injectable } from 'inversify';
import type { LoginResult, RegistryAuth } from '../registry/registry.js';
import { loginDomain } from '../registry/registry-endpoint.js';
import { RegistryResolver } from '../registry/registry-resolver.js';
import type { AuthBackend } from './routes/auth-routes.js';

/** `docker login`'s daemon side: the registry plugin serving the address checks the credentials; nothing is stored. */
@injectable()
export class AuthService implements AuthBackend {
  constructor(@inject(RegistryResolver) private readonly registries: RegistryResolver) {}

  login(auth: RegistryAuth): Promise<LoginResult> {
    const domain = loginDomain(auth.serveraddress);
    return this.registries.resolve(domain).login(domain, auth);
  }
}
