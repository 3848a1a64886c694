// SPDX-License-Identifier: Apache-2.0
// The public surface of @tsc-engine/core for plugins and tools: contracts, tokens, errors and the shared
// building blocks (the distribution client registry plugins reuse).
export * from './errors/engine-error.js';
export type { ErrorCode } from './errors/error-code.js';
export * from './config/engine-config.js';
export * from './plugin/plugin-context.js';
export * from './plugin/plugin-type.js';
export * from './plugin/plugin-skip-error.js';
export * from './runtime/runtime.js';
export * from './snapshot/snapshotter.js';
export * from './content/content-store.js';
export * from './content/digest.js';
export * from './image/image-store.js';
export type * from './image/image-record.js';
export type * from './image/image-config.js';
export type * from './api/progress-message.js';
export type * from './registry/descriptor.js';
export type * from './registry/image-reference.js';
export type * from './registry/registry-remote.js';
export * from './registry/registry.js';
export * from './registry/image-reference-parser.js';
export * from './registry/registry-endpoint.js';
export * from './registry/registry-authenticator.js';
export * from './registry/distribution-client.js';
export * from './registry/mirrored-remote.js';
export * from './registry/media-types.js';
export * from './registry/platform-matcher.js';
export * from './registry/www-authenticate.js';
export * from './registry/docker-config-credentials.js';
export * from './registry/registry-transport.js';
export * from './registry/rate-limit.js';
export * from './runtime/oci-runtime-base.js';
export * from './runtime/runtime-error.js';
export type * from './runtime/oci-spec.js';
export { findExecutable } from './runtime/find-executable.js';
export { detectCgroupMode, type CgroupMode } from './shared/cgroup-version.js';
export type { PluginStatus, PluginState } from './plugin/plugin-status.js';
