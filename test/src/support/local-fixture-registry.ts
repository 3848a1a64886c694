// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildFixtures, pushFixtures, registryAnswers, registryConfig } from './fixture-registry.js';

export interface LocalFixtureRegistryOptions {
  /** `127.0.0.1:PORT`; loopback only, so nothing outside this machine can reach it. */
  host: string;
  /** Holds `storage/`, `config.yml`, `registry.log` and `registry.pid`. */
  dir: string;
  /** Fixtures to push (all by default). */
  fixtures?: readonly string[];
}

export interface LocalFixtureRegistry {
  host: string;
  /** False when a registry already answered on `host` and was reused. */
  started: boolean;
  logPath: string;
}

/**
 * Makes sure a docker-registry answers on `host` and holds the fixtures: one already answering is reused, else one
 * is started in the background with its storage in `dir`, outliving this process, so scripts (the README's example,
 * the benchmarks) share one long-lived registry; `stopLocalFixtureRegistry(dir)` ends it.
 */
export async function ensureLocalFixtureRegistry(options: LocalFixtureRegistryOptions): Promise<LocalFixtureRegistry> {
  if (!/^(127\.\d+\.\d+\.\d+|localhost):\d+$/.test(options.host)) {
    throw new Error(`registry host ${options.host}: use a loopback address with a port, such as 127.0.0.1:5000`);
  }
  const cache = await buildFixtures();
  const url = `http://${options.host}`;
  const logPath = join(options.dir, 'registry.log');
  const started = !(await registryAnswers(url));
  if (started) await launchDetached(options, logPath);
  await pushFixtures(cache, options.host, options.fixtures);
  return { host: options.host, started, logPath };
}

/** Stops the registry `ensureLocalFixtureRegistry` started in `dir`; false when none of ours was running. */
export async function stopLocalFixtureRegistry(dir: string): Promise<boolean> {
  const pidPath = join(dir, 'registry.pid');
  const pid = Number(await readFile(pidPath, 'utf8').catch(() => ''));
  await rm(pidPath, { force: true });
  // The pid may have been reused by an unrelated process since; only signal a docker-registry.
  if (!pid || !(await isRegistryProcess(pid))) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

async function launchDetached(options: LocalFixtureRegistryOptions, logPath: string): Promise<void> {
  await mkdir(options.dir, { recursive: true });
  const config = join(options.dir, 'config.yml');
  await writeFile(config, registryConfig(join(options.dir, 'storage'), options.host));
  const log = openSync(logPath, 'a');
  const child = spawn('docker-registry', ['serve', config], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = signal ? `killed by ${signal}` : `exit status ${code}`));
  child.once('error', (error) => (exit = error.message));
  child.unref();
  await writeFile(join(options.dir, 'registry.pid'), `${child.pid}\n`);
  const url = `http://${options.host}`;
  const deadline = Date.now() + 20_000;
  while (!(await registryAnswers(url))) {
    if (exit !== undefined || Date.now() > deadline) {
      const tail = (await readFile(logPath, 'utf8').catch(() => '')).split('\n').slice(-10).join('\n');
      if (exit === undefined) child.kill('SIGKILL');
      await rm(join(options.dir, 'registry.pid'), { force: true });
      throw new Error(`docker-registry on ${options.host} ${exit ? `stopped (${exit})` : 'did not answer within 20s'}; the end of ${logPath}:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function isRegistryProcess(pid: number): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.split('\0').some((arg) => arg.endsWith('docker-registry'));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
