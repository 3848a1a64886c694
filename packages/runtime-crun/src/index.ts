// SPDX-License-Identifier: Apache-2.0
export { CrunRuntime, type CrunRuntimeOptions } from './crun-runtime.js';
export { default as initCrun } from './crun-module.js';
