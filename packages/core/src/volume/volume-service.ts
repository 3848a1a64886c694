// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import type { Volume, VolumeCreateRequest, VolumePruneResponse } from '../api/volume.js';
import { EngineConfig } from '../config/engine-config.js';
import { ConflictError, InvalidArgumentError, NotFoundError, NotImplementedError } from '../errors/engine-error.js';
import { EventBus } from '../events/event-bus.js';
import { directorySize } from '../image/directory-size.js';
import { LocalVolumeStore, type VolumeRecord } from './local-volume-store.js';
import { ANONYMOUS_VOLUME_LABEL, randomVolumeName, validateVolumeName } from './volume-name.js';

/** `POST /volumes/prune`'s choices: whether named volumes go too, and label filters. */
export interface VolumePruneOptions {
  /** Named volumes as well as anonymous ones (Docker's `all` filter; what API < 1.42 always did). */
  all: boolean;
  /** `key` or `key=value` a volume must have / must not have. */
  labels?: string[];
  notLabels?: string[];
}

/** What a container asks for when it mounts a volume. */
export interface VolumeAcquireOptions {
  /** The volume's name; left out, an anonymous volume is created. */
  name?: string;
  labels?: Record<string, string>;
  driverOptions?: Record<string, string>;
}

/**
 * Volumes of the `local` driver and who uses them. Containers {@link acquire} the volumes they mount at create
 * (creating a named one on first use) and {@link release} them on removal; a volume some container still refers
 * to, running or not, cannot be removed or pruned. Who uses what is kept in memory and rebuilt from the container
 * records when the daemon starts ({@link adopt}). Operations on one name run one at a time, so a volume cannot be
 * removed between a container's check and its use.
 */
@injectable()
export class VolumeService {
  private readonly store: LocalVolumeStore;
  private readonly volumes = new Map<string, VolumeRecord>();
  private readonly users = new Map<string, Set<string>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private loaded?: Promise<void>;

  constructor(
    @inject(EngineConfig) config: EngineConfig,
    @inject(EventBus) private readonly events: EventBus,
  ) {
    this.store = new LocalVolumeStore(join(config.dataRoot, 'volumes'));
  }

  async list(filters: Record<string, string[]> = {}): Promise<Volume[]> {
    await this.load();
    return [...this.volumes.values()]
      .filter((record) => this.matches(record, filters))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((record) => this.toVolume(record));
  }

  async inspect(name: string): Promise<Volume> {
    await this.load();
    return this.toVolume(this.record(name));
  }

  async create(request: VolumeCreateRequest): Promise<Volume> {
    return this.toVolume(await this.createRecord(request.Name, request.Labels ?? {}, request.DriverOpts ?? {}, request.Driver));
  }

  /** Removes an unused volume; `force` only makes a missing volume no error, as in Docker. */
  async remove(name: string, options: { force?: boolean } = {}): Promise<void> {
    await this.load();
    await this.locked(name, async () => {
      if (!this.volumes.has(name)) {
        if (options.force) return;
        this.record(name);
      }
      const users = [...(this.users.get(name) ?? [])];
      if (users.length > 0) throw new ConflictError(`remove ${name}: volume is in use - [${users.join(' ')}]`);
      await this.destroy(name);
    });
  }

  async prune(options: VolumePruneOptions): Promise<VolumePruneResponse> {
    await this.load();
    const result: VolumePruneResponse = { VolumesDeleted: [], SpaceReclaimed: 0 };
    for (const record of [...this.volumes.values()]) {
      if (!options.all && !(ANONYMOUS_VOLUME_LABEL in record.labels)) continue;
      if (!(options.labels ?? []).every((l) => hasLabel(record, l))) continue;
      if ((options.notLabels ?? []).some((l) => hasLabel(record, l))) continue;
      await this.locked(record.name, async () => {
        if (!this.volumes.has(record.name) || (this.users.get(record.name)?.size ?? 0) > 0) return;
        const size = await directorySize(this.store.dataPath(record.name)).catch(() => 0);
        await this.destroy(record.name);
        result.VolumesDeleted.push(record.name);
        result.SpaceReclaimed += size;
      });
    }
    return result;
  }

  /** Records `containerId` as a user of a volume, creating the volume if it does not exist; returns its name. */
  async acquire(containerId: string, options: VolumeAcquireOptions): Promise<string> {
    const anonymous = options.name === undefined;
    const labels = anonymous ? { ...options.labels, [ANONYMOUS_VOLUME_LABEL]: '' } : options.labels ?? {};
    const record = await this.createRecord(options.name, labels, options.driverOptions ?? {}, 'local', (name) => this.adopt(containerId, [name]));
    return record.name;
  }

  /** Records users without any check, for containers the daemon already had before it restarted. */
  adopt(containerId: string, names: string[]): void {
    for (const name of names) {
      const users = this.users.get(name) ?? new Set();
      this.users.set(name, users.add(containerId));
    }
  }

  /** Drops `containerId` as a user of `name`; with `removeIfAnonymous`, removes the volume if it was anonymous and is now unused. */
  async release(containerId: string, name: string, options: { removeIfAnonymous?: boolean } = {}): Promise<void> {
    await this.load();
    await this.locked(name, async () => {
      const users = this.users.get(name);
      users?.delete(containerId);
      if (users?.size === 0) this.users.delete(name);
      const record = this.volumes.get(name);
      if (options.removeIfAnonymous && record && ANONYMOUS_VOLUME_LABEL in record.labels && !this.users.has(name)) {
        await this.destroy(name);
      }
    });
  }

  dataPath(name: string): string {
    return this.store.dataPath(name);
  }

  private async createRecord(
    requestedName: string | undefined,
    labels: Record<string, string>,
    options: Record<string, string>,
    driver: string | undefined,
    // Runs under the name's lock, so nothing can remove the volume before its user is recorded.
    thenWithLock?: (name: string) => void,
  ): Promise<VolumeRecord> {
    await this.load();
    if (driver && driver !== 'local') {
      throw new NotFoundError(`error looking up volume plugin ${driver}: plugin "${driver}" not found`, {
        hint: 'only the "local" volume driver is available',
      });
    }
    if (Object.keys(options).length > 0) {
      throw new NotImplementedError(`create ${requestedName ?? 'volume'}: local volume driver options are not supported yet: ${Object.keys(options).join(', ')}`, {
        hint: 'create the volume without driver options (-o / volume-opt)',
      });
    }
    const name = requestedName === undefined || requestedName === '' ? randomVolumeName() : validateVolumeName(requestedName);
    return this.locked(name, async () => {
      let record = this.volumes.get(name);
      if (!record) {
        record = await this.store.create({ name, createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), labels, options });
        this.volumes.set(name, record);
        this.events.publish({ Type: 'volume', Action: 'create', Actor: { ID: name, Attributes: { driver: 'local' } } });
      }
      thenWithLock?.(name);
      return record;
    });
  }

  private async destroy(name: string): Promise<void> {
    await this.store.remove(name);
    this.volumes.delete(name);
    this.events.publish({ Type: 'volume', Action: 'destroy', Actor: { ID: name, Attributes: { driver: 'local' } } });
  }

  private record(name: string): VolumeRecord {
    const record = this.volumes.get(name);
    if (!record) throw new NotFoundError(`get ${name}: no such volume`);
    return record;
  }

  private load(): Promise<void> {
    this.loaded ??= this.store.loadAll().then((records) => {
      for (const record of records) this.volumes.set(record.name, record);
    });
    return this.loaded;
  }

  private locked<T>(name: string, action: () => Promise<T>): Promise<T> {
    const result = (this.locks.get(name) ?? Promise.resolve()).then(action);
    const settled = result.then(() => undefined, () => undefined);
    this.locks.set(name, settled);
    void settled.then(() => {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    });
    return result;
  }

  private matches(record: VolumeRecord, filters: Record<string, string[]>): boolean {
    return Object.entries(filters).every(([key, values]) =>
      values.some((value) => {
        switch (key) {
          case 'name':
            return record.name.includes(value);
          case 'driver':
            return value === 'local';
          case 'label':
            return hasLabel(record, value);
          case 'dangling': {
            if (!['true', 'false', '1', '0'].includes(value)) throw new InvalidArgumentError(`invalid filter 'dangling=${value}'`);
            return this.users.has(record.name) === (value === 'false' || value === '0');
          }
          default:
            throw new InvalidArgumentError(`invalid filter '${key}'`);
        }
      }),
    );
  }

  private toVolume(record: VolumeRecord): Volume {
    return {
      CreatedAt: record.createdAt,
      Driver: 'local',
      Labels: record.labels,
      Mountpoint: this.store.dataPath(record.name),
      Name: record.name,
      Options: record.options,
      Scope: 'local',
    };
  }
}

function hasLabel(record: VolumeRecord, filter: string): boolean {
  const equals = filter.indexOf('=');
  if (equals < 0) return filter in record.labels;
  return record.labels[filter.slice(0, equals)] === filter.slice(equals + 1);
}
