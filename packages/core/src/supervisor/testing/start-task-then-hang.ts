// SPDX-License-Identifier: Apache-2.0
// Test support: a stand-in daemon. It starts one task through a ConmonSupervisor, reports the task on stdout and
// then waits to be killed, so a test can SIGKILL it and check that the task lives on.
// Arguments: <config JSON> <runc root> <id> <bundle> <log path>
import 'reflect-metadata';
import type { EngineConfig } from '../../config/engine-config.js';
import { RuntimeRegistry } from '../../runtime/runtime-registry.js';
import { findExecutable } from '../../runtime/find-executable.js';
import { ConmonSupervisor } from '../conmon-supervisor.js';
import { TestRuncRuntime } from './busybox-bundle.js';

const [configJson, runcRoot, id, bundle, logPath] = process.argv.slice(2) as [string, string, string, string, string];
const runtime = new TestRuncRuntime({ path: findExecutable('runc'), root: runcRoot });
const registry = new RuntimeRegistry();
registry.register(runtime);
const supervisor = new ConmonSupervisor(JSON.parse(configJson) as EngineConfig, registry);
const task = await supervisor.create({ id, bundle, runtime, logPath });
await supervisor.start(id);
process.stdout.write(`${JSON.stringify(task)}\n`);
setInterval(() => undefined, 60_000);
