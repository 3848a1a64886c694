// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Container, inject, injectable } from 'inversify';
import { EngineConfig } from '../config/engine-config.js';
import { Registry } from '../registry/registry.js';
import { RegistryResolver } from '../registry/registry-resolver.js';
import { Runtime } from '../runtime/runtime.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import type { PluginContext, PluginInit } from './plugin-context.js';
import { orderPlugins } from './plugin-graph.js';
import type { PluginDeclaration, PluginPackage } from './plugin-manifest.js';
import { parsePluginManifest } from './plugin-manifest-parser.js';
import { isPluginSkip } from './plugin-skip-error.js';
import type { PluginStatus } from './plugin-status.js';
import { PluginType } from './plugin-type.js';

/** The DI container plugins' child containers hang from: the daemon's own. */
export const PluginParentContainer = Symbol.for('tsc-engine:PluginParentContainer');

interface Probeable {
  probe(): Promise<void>;
}

/** Where the contribution of each plugin type goes once it has loaded and probed. */
interface ContributionSink {
  token: symbol;
  accept(contribution: Probeable): void;
}

type Candidate = PluginDeclaration & { pkg: PluginPackage };

/**
 * Loads engine plugins: reads each package's manifest, orders the plugins by what they require, imports each
 * module, initialises it with its {@link PluginContext} in a child container of its own (so one plugin's bindings
 * cannot shadow another's), probes its contribution and hands it to the registry of its type. Whatever happens to
 * one plugin is recorded in its {@link PluginStatus}; no plugin can stop the others or the engine.
 */
@injectable()
export class PluginHost {
  private readonly sinks: Map<string, ContributionSink>;
  private statuses: PluginStatus[] = [];
  /** Plugins that loaded, by `type/id`: a module cannot be unloaded, so they stay until the daemon exits. */
  private readonly active = new Map<string, PluginStatus>();

  constructor(
    @inject(PluginParentContainer) private readonly parent: Container,
    @inject(EngineConfig) private readonly config: EngineConfig,
    @inject(RuntimeRegistry) runtimes: RuntimeRegistry,
    @inject(RegistryResolver) registries: RegistryResolver,
  ) {
    this.sinks = new Map<string, ContributionSink>([
      [PluginType.Runtime, { token: Runtime, accept: (c) => runtimes.register(c as Runtime) }],
      [PluginType.Registry, { token: Registry, accept: (c) => registries.register(c as Registry) }],
    ]);
  }

  /** How every plugin fared, in load order. */
  list(): PluginStatus[] {
    return [...this.statuses];
  }

  /**
   * Loads the plugins of `packages`. Called again (a reload, after `plugins:install`), it loads only what is new or
   * did not load before: plugins already loaded stay as they are, with their tasks, and a package that now brings
   * another version of one is listed as skipped until the daemon restarts.
   */
  async load(packages: PluginPackage[]): Promise<PluginStatus[]> {
    const statuses: PluginStatus[] = [];
    const status = (c: Candidate, state: PluginStatus['status'], reason?: string) =>
      statuses.push({ type: c.type, id: c.id, package: c.pkg.name, version: c.pkg.version, status: state, reason });

    const candidates = new Map<string, Candidate>();
    for (const pkg of packages) {
      if (pkg.manifest === undefined) continue;
      try {
        for (const declaration of parsePluginManifest(pkg.name, pkg.manifest).plugins) {
          const key = `${declaration.type}/${declaration.id}`;
          const shadowed = candidates.get(key);
          // Later packages (user-installed, linked) override earlier ones (core), as oclif's plugins do.
          if (shadowed) status(shadowed, 'skipped', `overridden by ${pkg.name}@${pkg.version}`);
          candidates.set(key, { ...declaration, pkg });
        }
      } catch (error) {
        statuses.push({ type: '-', id: '-', package: pkg.name, version: pkg.version, status: 'error', reason: message(error) });
      }
    }

    let ordered: Candidate[];
    try {
      ordered = orderPlugins([...candidates.values()]);
    } catch (error) {
      for (const c of candidates.values()) status(c, 'error', message(error));
      return this.finish(statuses);
    }

    const loaded: Candidate[] = [];
    for (const candidate of ordered) {
      const key = `${candidate.type}/${candidate.id}`;
      const active = this.active.get(key);
      if (active) {
        statuses.push(active);
        if (active.package !== candidate.pkg.name || active.version !== candidate.pkg.version) {
          status(candidate, 'skipped', `${active.package}@${active.version} is loaded; restart the daemon to load this one`);
        }
        loaded.push(candidate);
        continue;
      }
      const missing = (candidate.requires ?? []).filter(
        (r) => !loaded.some((l) => r === l.type || r === `${l.type}/${l.id}`),
      );
      if (missing.length > 0) {
        status(candidate, 'skipped', `requires ${missing.join(', ')}, which did not load`);
        continue;
      }
      try {
        await this.loadOne(candidate);
        loaded.push(candidate);
        status(candidate, 'ok');
        this.active.set(key, statuses.at(-1)!);
      } catch (error) {
        status(candidate, isPluginSkip(error) ? 'skipped' : 'error', message(error));
      }
    }
    for (const [key, active] of this.active) {
      if (!candidates.has(key)) statuses.push({ ...active, reason: 'its package was removed; it stays loaded until the daemon restarts' });
    }
    return this.finish(statuses);
  }

  private async loadOne(candidate: Candidate): Promise<void> {
    const sink = this.sinks.get(candidate.type);
    if (!sink) throw new Error(`unknown plugin type ${candidate.type}`);
    const moduleUrl = pathToFileURL(join(candidate.pkg.root, candidate.module)).href;
    const init = ((await import(moduleUrl)) as { default?: unknown }).default;
    if (typeof init !== 'function') {
      throw new Error(`${candidate.module} has no default export of a plugin init function`);
    }
    const name = `${candidate.type}.${candidate.id}`;
    const context: PluginContext = {
      type: candidate.type,
      id: candidate.id,
      rootDir: join(this.config.dataRoot, 'plugins', name),
      stateDir: join(this.config.execRoot, 'plugins', name),
      config: this.config.plugins[name] ?? {},
    };
    const child = new Container({ parent: this.parent });
    await child.loadAsync((init as PluginInit)(context));
    const contribution = child.get<Probeable>(sink.token);
    await contribution.probe();
    sink.accept(contribution);
  }

  private finish(statuses: PluginStatus[]): PluginStatus[] {
    this.statuses = statuses;
    return this.list();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
