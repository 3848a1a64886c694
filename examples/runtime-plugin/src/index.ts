// SPDX-License-Identifier: Apache-2.0
export { NiceRuncRuntime, type NiceRuncOptions } from './nice-runc-runtime.js';
export { niceRuncConfig, DEFAULT_NICENESS, type NiceRuncConfig } from './nice-runc-config.js';
export { default as initNiceRunc } from './nice-runc-module.js';
