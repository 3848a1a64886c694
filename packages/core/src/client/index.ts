// SPDX-License-Identifier: Apache-2.0
// `@tsc-engine/core/client`: what a client of the daemon needs and nothing else, so the CLI starts fast and never
// loads reflect-metadata, inversify or the daemon's modules.
export type * from './engine-client.js';
export type * from '../api/container.js';
export type * from '../api/exec.js';
export type * from '../api/container-stats.js';
export type { PathStat } from '../archive/path-stat.js';
export type * from '../api/image.js';
export type * from '../api/volume.js';
export type * from '../api/network.js';
export { parsePortSpecs, type ParsedPortSpecs } from '../network/port-spec.js';
export type * from '../api/progress-message.js';
export type * from '../api/error-response.js';
export type { SystemInfo, SystemVersion } from '../api/system.js';
export { API_VERSION, MIN_API_VERSION } from '../api/system.js';
export type { PluginPackage, PluginPackageManifest, PluginDeclaration } from '../plugin/plugin-manifest.js';
export type { PluginStatus, PluginState } from '../plugin/plugin-status.js';
export type { RegistryAuth } from '../registry/registry.js';
export type { ErrorCode } from '../errors/error-code.js';
export * from '../errors/engine-error.js';
export { errorCodeFromHttpStatus, toExitCode } from '../errors/error-mapping.js';
export { HttpEngineClient, type HttpEngineClientOptions } from './http-engine-client.js';
export { DaemonResponseError, isDaemonResponseError, startFailureCode } from './daemon-response-error.js';
export { demuxDockerStream, encodeDockerFrame } from './docker-stream-demuxer.js';
export { readJsonStream } from './json-stream-reader.js';
export { toPullReference, type PullReference } from './pull-reference.js';
export { encodeRegistryAuth } from './registry-auth-header.js';
export { describeRateLimit } from '../registry/rate-limit.js';
export { DockerConfigCredentials, credentialsKey, DOCKER_HUB_CREDENTIALS_KEY, type StoredCredentials } from '../registry/docker-config-credentials.js';
export { DEFAULT_DATA_ROOT, DEFAULT_EXEC_ROOT, DEFAULT_SOCKET_PATH } from '../config/engine-config.js';
export { humanDuration } from '../shared/human-duration.js';
export { formatGoDuration, parseGoDuration } from '../shared/go-duration.js';
