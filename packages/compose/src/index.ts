// SPDX-License-Identifier: Apache-2.0
// `@tsc-engine/compose`: the compose-spec loader and model, for the compose commands and anything else that needs
// a project (tests, tools).
export type * from './compose-model.js';
export { loadProject, type LoadProjectOptions, type LoadedProject } from './loader/load-project.js';
export { DEFAULT_COMPOSE_FILES, projectNameFromDirectory } from './loader/project-files.js';
export { implicitDependencies, serviceDependencies } from './loader/check-project.js';
export { interpolate, type InterpolationOptions, type VariableLookup } from './loader/interpolation.js';
export { parseDotenv } from './loader/dotenv.js';
export { formatGoDuration, parseGoDuration } from './loader/go-duration.js';
export { unsupportedKeys } from './loader/supported-keys.js';
export { toConfigDocument } from './config-document.js';
export { openStateBackend } from './state/open-state-backend.js';
export { ProjectConverger, type ConvergeOptions, type DownOptions } from './convergence/project-converger.js';
export { DependencyGraph } from './convergence/dependency-graph.js';
export { ComposeLabel, projectFilter } from './convergence/compose-labels.js';
export { listProjectContainers, type ProjectContainer } from './convergence/project-containers.js';
export { serviceConfigHash } from './convergence/config-hash.js';
export { toContainerCreateRequest } from './convergence/container-request.js';
export type { ProgressEvent, ProgressWriter } from './convergence/progress-writer.js';
export { createProgress } from './convergence/create-progress.js';
export { runProjectSession, type ProjectSessionOptions } from './state/project-session.js';
export { projectKey, serviceKey, type DesiredState, type ProjectIntent, type ProjectRecord, type ServiceRecord } from './state/project-records.js';
export { StreamingProgress } from './state/streaming-progress.js';
export { followServiceLogs } from './convergence/service-log-follower.js';
