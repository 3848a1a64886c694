// SPDX-License-Identifier: Apache-2.0
export { runDaemon, type DaemonOptions, type RunningDaemon } from './run-daemon.js';
