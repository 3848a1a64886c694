// SPDX-License-Identifier: Apache-2.0
import type { HostConfig } from '../api/container.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { ContainerRecord } from './container-record.js';

/** Docker's backoff (moby `restartmanager`): 100 ms, doubling up to a minute, back to 100 ms after 10 s up. */
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;
const RESET_AFTER_MS = 10_000;

/** What the manager needs of the container service. */
export interface RestartHooks {
  start(id: string): Promise<void>;
  save(record: ContainerRecord): Promise<void>;
}

interface Tracker {
  delayMs: number;
  /** Restarts since the user last started the container, which `on-failure:N` counts. */
  retries: number;
  timer?: NodeJS.Timeout;
  /** Set while the manager's own start runs, so it is not taken for a user's start. */
  restarting: boolean;
  /** That start, which a user's stop, kill or removal waits for (see {@link RestartManager.settled}). */
  inFlight?: Promise<void>;
}

/** The checks Docker makes on create (moby `daemon/container.go` validateRestartPolicy). */
export function validateRestartPolicy(hostConfig: HostConfig): void {
  const policy = hostConfig.RestartPolicy;
  if (!policy?.Name || policy.Name === 'no') {
    if (policy?.MaximumRetryCount) throw new InvalidArgumentError(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
    return;
  }
  if (!['always', 'unless-stopped', 'on-failure'].includes(policy.Name)) {
    throw new InvalidArgumentError(`invalid restart policy: unknown policy '${policy.Name}'; use one of 'no', 'always', 'on-failure' or 'unless-stopped'`);
  }
  if (policy.Name !== 'on-failure' && policy.MaximumRetryCount) {
    throw new InvalidArgumentError(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  }
  if ((policy.MaximumRetryCount ?? 0) < 0) throw new InvalidArgumentError('invalid restart policy: maximum retry count cannot be negative');
  if (hostConfig.AutoRemove) throw new InvalidArgumentError('conflicting options: cannot specify both --restart and --rm');
}

/**
 * Restart policies (`no`, `always`, `unless-stopped`, `on-failure[:N]`): after an exit the user did not cause,
 * the container is `restarting` for a backoff delay and then started again, its `RestartCount` one higher.
 */
export class RestartManager {
  private readonly trackers = new Map<string, Tracker>();

  constructor(private readonly hooks: RestartHooks) {}

  /** Every start goes through here: a start by the user (not by this manager) begins afresh, as with Docker. */
  starting(record: ContainerRecord): void {
    const tracker = this.trackers.get(record.id);
    if (tracker?.restarting) {
      tracker.restarting = false;
      return;
    }
    this.forget(record.id);
    record.restartCount = 0;
    record.manuallyStopped = false;
  }

  /** Docker's ShouldRestart, asked as the exit is recorded; the delay it picks is used by {@link schedule}. */
  shouldRestart(record: ContainerRecord, exitCode: number, exitedAt: Date): boolean {
    const policy = record.hostConfig.RestartPolicy;
    if (!policy?.Name || policy.Name === 'no' || record.manuallyStopped || record.hostConfig.AutoRemove) return false;
    const tracker = this.trackers.get(record.id) ?? { delayMs: 0, retries: 0, restarting: false };
    this.trackers.set(record.id, tracker);
    if (exitedAt.getTime() - Date.parse(record.state.startedAt) >= RESET_AFTER_MS) tracker.delayMs = 0;
    tracker.delayMs = tracker.delayMs === 0 ? FIRST_DELAY_MS : Math.min(tracker.delayMs * 2, MAX_DELAY_MS);
    const max = policy.MaximumRetryCount ?? 0;
    const restart = policy.Name !== 'on-failure' || (exitCode !== 0 && (max === 0 || tracker.retries < max));
    if (restart) tracker.retries++;
    return restart;
  }

  /** Starts the container after the delay, unless the user stopped, started or removed it meanwhile. */
  schedule(record: ContainerRecord): void {
    const tracker = this.trackers.get(record.id);
    if (!tracker || record.state.status !== 'restarting') return;
    tracker.timer = setTimeout(() => {
      tracker.timer = undefined;
      tracker.restarting = true;
      record.restartCount++;
      tracker.inFlight = this.hooks.start(record.id).catch(async (error: unknown) => {
        tracker.restarting = false;
        record.state = { ...record.state, status: 'exited', error: (error as Error).message };
        await this.hooks.save(record);
      }).catch((error: unknown) => process.emitWarning(`container ${record.id}: restart failed: ${(error as Error).message}`))
        .finally(() => (tracker.inFlight = undefined));
    }, tracker.delayMs);
    // A pending restart must not keep a daemon that is shutting down alive.
    tracker.timer.unref();
  }

  /**
   * Waits for a restart whose start is under way. A user's stop, kill or removal waits for it first, so that it acts
   * on the task that start makes rather than on a `restarting` container that then comes up running.
   */
  async settled(id: string): Promise<void> {
    await this.trackers.get(id)?.inFlight;
  }

  /**
   * A user's stop or kill: the coming exit is not restarted. A container waiting for its restart is exited at
   * once; returns whether it was.
   */
  stoppedByUser(record: ContainerRecord): boolean {
    record.manuallyStopped = true;
    this.forget(record.id);
    if (record.state.status !== 'restarting') return false;
    record.state = { ...record.state, status: 'exited' };
    return true;
  }

  /** Whether a daemon starting up starts the container again: `always`, or `unless-stopped` not stopped by the user. */
  startsWithDaemon(record: ContainerRecord): boolean {
    const name = record.hostConfig.RestartPolicy?.Name;
    return name === 'always' || (name === 'unless-stopped' && !record.manuallyStopped);
  }

  forget(id: string): void {
    clearTimeout(this.trackers.get(id)?.timer);
    this.trackers.delete(id);
  }
}
