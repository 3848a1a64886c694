// SPDX-License-Identifier: Apache-2.0
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import { EngineConfig } from '../config/engine-config.js';
import type { ContainerRecord } from './container-record.js';

/**
 * Container records on disk, one directory per container under `<data-root>/containers/<id>/` holding
 * `container.json` and the container's log. Records are written whole to a temporary file and renamed, so a crash
 * leaves either the old or the new record, never half of one.
 */
@injectable()
export class ContainerStore {
  private readonly root: string;

  constructor(@inject(EngineConfig) config: EngineConfig) {
    this.root = join(config.dataRoot, 'containers');
  }

  directory(id: string): string {
    return join(this.root, id);
  }

  async save(record: ContainerRecord): Promise<void> {
    const dir = this.directory(record.id);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.container.json.${process.pid}.${Math.random().toString(36).slice(2)}`);
    await writeFile(temp, JSON.stringify(record));
    await rename(temp, join(dir, 'container.json'));
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

  async delete(id: string): Promise<void> {
    await rm(this.directory(id), { recursive: true, force: true });
  }
}
