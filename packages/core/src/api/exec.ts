// SPDX-License-Identifier: Apache-2.0
// Exec wire types of the Docker Engine API (v1.41 shape).

/** Body of `POST /containers/{id}/exec`. */
export interface ExecCreateRequest {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
  Tty?: boolean;
  /** `KEY=value` entries over the container's environment. */
  Env?: string[] | null;
  Cmd?: string[] | null;
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
  ConsoleSize?: [number, number] | null;
}

/** Body of `POST /exec/{id}/start`. */
export interface ExecStartRequest {
  Detach?: boolean;
  Tty?: boolean;
  ConsoleSize?: [number, number] | null;
}

/** `GET /exec/{id}/json`; note `ID`, not `Id`. */
export interface ExecInspect {
  ID: string;
  Running: boolean;
  /** Null until the process has exited. */
  ExitCode: number | null;
  ProcessConfig: { tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user?: string };
  OpenStdin: boolean;
  OpenStderr: boolean;
  OpenStdout: boolean;
  CanRemove: boolean;
  ContainerID: string;
  DetachKeys: string;
  Pid: number;
}
