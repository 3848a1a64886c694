// SPDX-License-Identifier: Apache-2.0
import { UnauthorizedError, UnavailableError } from '../errors/engine-error.js';
import type { RegistryAuth } from './registry.js';
import { registryError } from './registry-error.js';
import { defaultAgents, readResponseBody, sendRegistryRequest, type RegistryHttpAgents } from './registry-http.js';
import type { AuthChallenge } from './www-authenticate.js';

/** Credentials in the forms a registry accepts them; all absent means anonymous. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (Docker's `identitytoken`), exchanged for access tokens. */
  identityToken?: string;
  /** A ready bearer token, sent as is. */
  registryToken?: string;
}

/**
 * Credentials made only when a registry asks for them (a challenge): a plugin whose credentials cost a call (ECR's
 * authorization token) spends it only on registries that want it.
 */
export type CredentialsProvider = () => Promise<RegistryCredentials>;

/** Normalises the Docker API's `X-Registry-Auth` shape, decoding `auth` (base64 `user:password`). */
export function credentialsFromAuth(auth: RegistryAuth | undefined): RegistryCredentials {
  if (!auth) return {};
  let { username, password } = auth;
  if (auth.auth && (username === undefined || password === undefined)) {
    const decoded = Buffer.from(auth.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  return {
    ...(username && { username }),
    ...(password !== undefined && username && { password }),
    ...(auth.identitytoken && { identityToken: auth.identitytoken }),
    ...(auth.registrytoken && { registryToken: auth.registrytoken }),
  };
}

// Token lifetimes per the token spec: 60 s when unstated, never less. Renew a little early so a token does not
// expire between being picked from the cache and reaching the registry.
const DEFAULT_TOKEN_SECONDS = 60;
const EXPIRY_MARGIN_MS = 5_000;

/** Bearer tokens by realm, service, scope and user, until they expire. Share one per registry plugin. */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  get(key: string, now = Date.now()): string | undefined {
    const entry = this.tokens.get(key);
    if (entry && entry.expiresAt > now) return entry.token;
    this.tokens.delete(key);
    return undefined;
  }

  set(key: string, token: string, expiresAt: number): void {
    this.tokens.set(key, { token, expiresAt });
  }

  delete(key: string): void {
    this.tokens.delete(key);
  }
}

/** Token endpoint answer (distribution `token.md`): `token` and `access_token` mean the same. */
interface TokenResponse {
  token?: string;
  access_token?: string;
  expires_in?: number;
  issued_at?: string;
  refresh_token?: string;
}

export interface AuthorizeResult {
  /** Value for the `Authorization` header. */
  authorization: string;
  /** A refresh token the token server issued (for `login` to hand back as the identity token). */
  refreshToken?: string;
}

/**
 * Answers a registry's `WWW-Authenticate` challenge: HTTP Basic with the credentials, or the bearer token flow
 * (GET the realm with service and scope, or POST a refresh token), caching tokens until they expire.
 */
export class RegistryAuthenticator {
  private credentials: RegistryCredentials = {};
  private readonly provide?: CredentialsProvider;
  private provided?: Promise<void>;

  constructor(
    private readonly domain: string,
    credentials: RegistryCredentials | CredentialsProvider,
    private readonly cache: TokenCache = new TokenCache(),
    private readonly agents: RegistryHttpAgents = defaultAgents,
  ) {
    if (typeof credentials === 'function') this.provide = credentials;
    else this.credentials = credentials;
  }

  /**
   * The `Authorization` value for `challenges` and `scopes` (`repository:x/y:pull`). `rejected` is the value the
   * registry just refused, so a cached token that no longer works is not offered again.
   */
  async authorize(challenges: AuthChallenge[], scopes: string[], rejected?: string, signal?: AbortSignal): Promise<AuthorizeResult> {
    if (this.provide) {
      // Asked once per client and kept: a retry after a refusal must not fetch new credentials on every 401.
      this.provided ??= this.provide().then((credentials) => void (this.credentials = credentials));
      await this.provided;
    }
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) return this.bearer(bearer, scopes, rejected, signal);
    if (challenges.some((c) => c.scheme === 'basic')) {
      const { username, password } = this.credentials;
      if (!username || password === undefined) {
        throw new UnauthorizedError(`${this.domain}: authentication required`, {
          hint: `log in with 'tsc-engine login ${this.domain}'`,
        });
      }
      return { authorization: basic(username, password) };
    }
    throw new UnauthorizedError(
      `${this.domain}: unsupported authentication scheme${challenges.length ? ` ${challenges.map((c) => c.scheme).join(', ')}` : ''}`,
    );
  }

  private async bearer(challenge: AuthChallenge, scopes: string[], rejected: string | undefined, signal?: AbortSignal): Promise<AuthorizeResult> {
    if (this.credentials.registryToken) return { authorization: `Bearer ${this.credentials.registryToken}` };
    const { realm, service } = challenge.params;
    if (!realm) throw new UnauthorizedError(`${this.domain}: bearer challenge without a realm`);
    const scope = scopes.length ? scopes : challenge.params.scope ? challenge.params.scope.split(' ') : [];
    const key = JSON.stringify([realm, service, scope, this.credentials.username ?? this.credentials.identityToken ?? '']);
    const cached = this.cache.get(key);
    if (cached && `Bearer ${cached}` !== rejected) return { authorization: `Bearer ${cached}` };

    const answer = await this.fetchToken(new URL(realm), service, scope, signal);
    const token = answer.token || answer.access_token;
    if (!token) throw new UnauthorizedError(`${this.domain}: token server ${realm} returned no token`);
    const issuedAt = answer.issued_at ? Date.parse(answer.issued_at) : NaN;
    const lifetime = Math.max(answer.expires_in ?? DEFAULT_TOKEN_SECONDS, DEFAULT_TOKEN_SECONDS) * 1000;
    this.cache.set(key, token, (Number.isNaN(issuedAt) ? Date.now() : issuedAt) + lifetime - EXPIRY_MARGIN_MS);
    return { authorization: `Bearer ${token}`, ...(answer.refresh_token && { refreshToken: answer.refresh_token }) };
  }

  private async fetchToken(realm: URL, service: string | undefined, scopes: string[], signal?: AbortSignal): Promise<TokenResponse> {
    const { username, password, identityToken } = this.credentials;
    const params = new URLSearchParams();
    if (service) params.set('service', service);
    for (const scope of scopes) params.append('scope', scope);
    const what = `${this.domain}: get token from ${realm.origin}${realm.pathname}`;

    let response;
    if (identityToken) {
      params.set('grant_type', 'refresh_token');
      params.set('refresh_token', identityToken);
      params.set('client_id', 'tsc-engine');
      response = await sendRegistryRequest({
        method: 'POST',
        url: realm,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: Buffer.from(params.toString()),
        signal,
      }, this.agents);
    } else {
      // Docker sends the account name too; Docker Hub's token server uses it.
      if (username && password !== undefined) params.set('account', username);
      const url = new URL(realm);
      for (const [name, value] of params) url.searchParams.append(name, value);
      response = await sendRegistryRequest({
        method: 'GET',
        url,
        headers: username && password !== undefined ? { authorization: basic(username, password) } : {},
        signal,
        followRedirects: true,
      }, this.agents);
    }
    const body = await readResponseBody(response, 1 << 20, what);
    const status = response.statusCode ?? 0;
    if (status !== 200) {
      if (status === 401) {
        throw new UnauthorizedError(`${what}: unauthorized: incorrect username or password`, {
          hint: `log in again with 'tsc-engine login ${this.domain}'`,
        });
      }
      throw registryError(status, response.headers, body, { what, domain: this.domain });
    }
    try {
      return JSON.parse(body.toString('utf8')) as TokenResponse;
    } catch (cause) {
      throw new UnavailableError(`${what}: token response is not JSON`, { cause });
    }
  }
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
