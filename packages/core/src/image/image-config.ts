// SPDX-License-Identifier: Apache-2.0
import type { HealthConfig } from '../api/container.js';

/** The image configuration JSON (image-spec `config.md`), as far as the engine reads it. */
export interface ImageConfig {
  created?: string;
  author?: string;
  /** The message of `docker import -m` / `docker commit -m`. */
  comment?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: ImageRunConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: { created?: string; created_by?: string; empty_layer?: boolean; comment?: string }[];
}

export interface ImageRunConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Healthcheck?: HealthConfig;
  /** Dockerfile instructions a build `FROM` this image runs first (`ONBUILD`). */
  OnBuild?: string[] | null;
}
