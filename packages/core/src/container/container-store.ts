// SPDX-License-Identifier: Apache-2.0
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import { EngineConfig } from '../config/engine-config.js';
import type { ContainerRecord } from './container-record.js';

/**
 * Container records on disk, one directory per container under `<data-root>/containers/<id>/` holding
 * `container.json` and the container's log. Records are written whole to a temporary file and renamed, so a crash
 * leaves either the old or the new record, never half of one. A container's writes and its deletion happen in the
 * order they were asked for, one at a time: a save still under way when the container is removed (its exit's) can
 * neither bring the record back nor overwrite a newer one.
 */
@injectable()
export class ContainerStore {
  private readonly root: string;
  /** The last write or deletion asked for, per container. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(@inject(EngineConfig) config: EngineConfig) {
    this.root = join(config.dataRoot, 'containers');
  }

  directory(id: string): string {
    return join(this.root, id);
  }

  save(record: ContainerRecord): Promise<void> {
    const bytes = JSON.stringify(record);
    return this.inOrder(record.id, async () => {
      const dir = this.directory(record.id);
      await mkdir(dir, { recursive: true });
      const temp = join(dir, `.container.json.${process.pid}.${Math.random().toString(36).slice(2)}`);
      await writeFile(temp, bytes);
      await rename(temp, join(dir, 'container.json'));
    });
  }

  async loadAll(): Promise<ContainerRecord[]> {
    await mkdir(this.root, { recursive: true });
    const records: ContainerRecord[] = [];
    for (const id of await readdir(this.root)) {
      try {
        records.push(JSON.parse(await readFile(join(this.root, id, 'container.json'), 'utf8')) as ContainerRecord);
      } catch {
        // A directory without a record is a create that died before its first save: nothing refers to it.
        await rm(join(this.root, id), { recursive: true, force: true });
      }
    }
    return records;
  }

  delete(id: string): Promise<void> {
    return this.inOrder(id, () => rm(this.directory(id), { recursive: true, force: true }));
  }

  private inOrder(id: string, operation: () => Promise<void>): Promise<void> {
    const done = (this.queues.get(id) ?? Promise.resolve()).catch(() => undefined).then(operation);
    const settled = done.catch(() => undefined);
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return done;
  }
}
