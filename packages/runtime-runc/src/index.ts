// SPDX-License-Identifier: Apache-2.0
export { RuncRuntime } from './runc-runtime.js';
