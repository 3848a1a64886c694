// SPDX-License-Identifier: Apache-2.0
import { injectable } from 'inversify';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { Runtime } from './runtime.js';

/** The runtimes that loaded, by id. Filled by the plugin host; read by whoever creates containers. */
@injectable()
export class RuntimeRegistry {
  private readonly runtimes = new Map<string, Runtime>();
  private defaultId?: string;

  register(runtime: Runtime): void {
    this.runtimes.set(runtime.id, runtime);
    this.defaultId ??= runtime.id;
  }

  setDefault(id: string): void {
    this.get(id);
    this.defaultId = id;
  }

  get(id?: string): Runtime {
    const key = id ?? this.defaultId;
    const runtime = key === undefined ? undefined : this.runtimes.get(key);
    if (!runtime) {
      const known = [...this.runtimes.keys()].join(', ') || 'none';
      throw new InvalidArgumentError(`unknown or invalid runtime name: ${key ?? '(default)'}`, {
        hint: `runtimes available: ${known}; install one with \`tsc-engine plugins:install runtime-<name>\``,
      });
    }
    return runtime;
  }

  get defaultRuntime(): string | undefined {
    return this.defaultId;
  }

  list(): Runtime[] {
    return [...this.runtimes.values()];
  }
}
