// SPDX-License-Identifier: Apache-2.0
import type { EcrApi, EcrAuthorization, EcrAuthorizationRequest } from './ecr-api.js';

// ECR tokens live 12 hours. One is renewed this long before it expires, so none expires while a pull uses it.
const REFRESH_BEFORE_MS = 30 * 60 * 1000;

/**
 * ECR authorization tokens by registry and region, kept until shortly before they expire, as the ECR credential
 * helper does; concurrent asks share one API call, and a failed renewal falls back to a token still valid.
 */
export class EcrTokenCache {
  private readonly tokens = new Map<string, EcrAuthorization>();
  private readonly pending = new Map<string, Promise<EcrAuthorization>>();

  constructor(
    private readonly api: EcrApi,
    private readonly now: () => number = Date.now,
  ) {}

  async get(request: EcrAuthorizationRequest): Promise<EcrAuthorization> {
    const key = `${request.service}/${request.registryId}/${request.region}/${request.fips}/${request.dualStack}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt.getTime() - this.now() > REFRESH_BEFORE_MS) return cached;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.api.getAuthorizationToken(request).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    try {
      const fresh = await pending;
      this.tokens.set(key, fresh);
      return fresh;
    } catch (error) {
      if (cached && cached.expiresAt.getTime() > this.now()) return cached;
      throw error;
    }
  }
}
