// SPDX-License-Identifier: Apache-2.0

/** What happened to a path of a container's file system: `docker diff`'s C, A and D. */
export const ChangeKind = { Modified: 0, Added: 1, Deleted: 2 } as const;
export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];

/** One entry of `GET /containers/{id}/changes` (moby `container.FilesystemChange`). */
export interface FilesystemChange {
  /** Absolute, as seen in the container. */
  Path: string;
  Kind: ChangeKind;
}

/** `POST /commit`'s query, as the docker CLI sends it. */
export interface CommitOptions {
  /** Repository to name the image, and its tag (`latest` when a repository is given without one). */
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  /** Dockerfile instructions applied to the config: `CMD ["x"]`, `ENV A=b`, `EXPOSE 80`, … */
  changes?: string[];
  /** Freeze the container while its layer is read (default true, as Docker). */
  pause?: boolean;
}

/** `POST /commit`'s answer: the new image's id. */
export interface CommitResponse {
  Id: string;
}

/** `POST /build`'s query (the classic builder's subset tsc-engine runs). */
export interface BuildOptions {
  /** Names for the image (`x`, `x:1`), fully qualified or familiar. */
  tags?: string[];
  /** Path of the Dockerfile inside the context; `Dockerfile` by default. */
  dockerfile?: string;
  /** `ARG` values; a null value takes the variable from the client's environment, which the CLI resolves. */
  buildArgs?: Record<string, string | null>;
  labels?: Record<string, string>;
  /** Print only the image id. */
  quiet?: boolean;
  /** Remove intermediate containers (default true); `forceRm` even when a step fails. */
  rm?: boolean;
  forceRm?: boolean;
  /** Network mode of `RUN` containers (`default`: the bridge). */
  networkMode?: string;
  /** Pull the `FROM` images even when present. */
  pull?: boolean;
}
