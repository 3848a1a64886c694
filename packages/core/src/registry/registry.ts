// SPDX-License-Identifier: Apache-2.0
import type { ImageReference } from './image-reference.js';
import type { RegistryRemote } from './registry-remote.js';

/**
 * A kind of registry the engine can talk to (Docker Hub and any OCI distribution registry, Amazon ECR, …). A
 * registry plugin knows which hosts it serves, where they really live (mirrors, endpoints) and how to authenticate
 * there; the protocol itself is the shared distribution client's. Pull, push and login all go through
 * {@link remote}.
 */
export interface Registry {
  readonly id: string;
  /**
   * How well this plugin serves `domain`: 0 not at all; a generic registry answers 1, a specific one (ECR's host
   * pattern) more. The engine asks every registry and picks the highest.
   */
  matches(domain: string): number;
  probe(): Promise<void>;
  /** A client for one repository, authenticated with `auth` (or anonymously, or from the plugin's own source). */
  remote(reference: ImageReference, options: RegistryRemoteOptions): Promise<RegistryRemote>;
  /** Checks credentials against the registry; resolves with what the registry answered. */
  login(domain: string, auth: RegistryAuth): Promise<LoginResult>;
}

/** DI token for {@link Registry}; the contribution a `tsc-engine.registry.v1` plugin binds. */
export const Registry = Symbol.for('tsc-engine:Registry');

/** Credentials as the Docker API carries them in `X-Registry-Auth`. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  /** base64 of `username:password`. */
  auth?: string;
  identitytoken?: string;
  registrytoken?: string;
  serveraddress?: string;
}

export interface RegistryRemoteOptions {
  auth?: RegistryAuth;
  /** Whether the client will push (token scope `pull,push`). */
  push?: boolean;
}

export interface LoginResult {
  status: string;
  identityToken?: string;
}
