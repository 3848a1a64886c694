// SPDX-License-Identifier: Apache-2.0
import { setTimeout as delay } from 'node:timers/promises';
import { inject, injectable } from 'inversify';
import type { ContainerHealth, HealthcheckResult, HealthStatus } from '../api/container.js';
import { EventBus } from '../events/event-bus.js';
import type { EngineEvent } from '../events/engine-event.js';
import { containerEvent } from './container-event.js';
import type { ContainerRecord } from './container-record.js';
import { ContainerService } from './container-service.js';
import { ContainerStore } from './container-store.js';
import { ExecService } from './exec-service.js';
import { healthProbe, type HealthProbe } from './health-config.js';

/** Probes kept in `State.Health.Log`, and bytes of output kept per probe (moby's `maxLogEntries`, `maxOutputLen`). */
const MAX_LOG_ENTRIES = 5;
const MAX_OUTPUT_BYTES = 4096;
/** How long a probe that timed out and was SIGKILLed may take to be reaped before the monitor moves on. */
const KILL_GRACE_MS = 5000;

/**
 * Runs containers' healthchecks, as dockerd does: every interval, the check's command runs through the
 * {@link ExecService}; exit 0 is healthy, anything else (a timeout too) a failure, and `Retries` failures in a row,
 * outside the start period, make the container unhealthy. `State.Health` is saved with the container, a change of
 * status is published as a `health_status: <status>` event.
 *
 * It follows containers through their events (`start` begins, `die` and `destroy` end a monitor) rather than hooks in
 * {@link ContainerService}, which then need not know of it; {@link watch} also resumes the monitors of containers a
 * previous daemon left running, keeping their health status.
 */
@injectable()
export class HealthMonitor {
  private readonly monitors = new Map<string, AbortController>();
  private unsubscribe?: () => void;

  constructor(
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(ExecService) private readonly execs: ExecService,
    @inject(ContainerStore) private readonly store: ContainerStore,
    @inject(EventBus) private readonly events: EventBus,
  ) {}

  /** Monitors running containers that have a healthcheck, and from now on those that start. Call after restore. */
  watch(): void {
    this.unsubscribe ??= this.events.subscribe((event) => this.onEvent(event));
    for (const record of this.containers.list()) {
      if (record.state.status === 'running') this.begin(record, { reset: false });
    }
  }

  /** Stops every monitor (the daemon is shutting down); containers keep their last health status. */
  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const id of [...this.monitors.keys()]) this.end(id);
  }

  private onEvent(event: EngineEvent): void {
    if (event.Type !== 'container') return;
    if (event.Action === 'start') {
      const record = this.containers.list().find((r) => r.id === event.Actor.ID);
      if (record) this.begin(record, { reset: true });
    } else if (event.Action === 'die' || event.Action === 'destroy') {
      this.end(event.Actor.ID);
    }
  }

  /** A (re)started container's health starts over as `starting`; a restored one keeps what it had. */
  private begin(record: ContainerRecord, options: { reset: boolean }): void {
    const probe = healthProbe(record.config.Healthcheck);
    if (!probe) return;
    this.end(record.id);
    const previous = record.state.health;
    record.state.health =
      options.reset || !previous ? { Status: 'starting', FailingStreak: 0, Log: previous?.Log ?? [] } : previous;
    const controller = new AbortController();
    this.monitors.set(record.id, controller);
    this.loop(record, probe, controller.signal).catch((error: unknown) => {
      if (!controller.signal.aborted) process.emitWarning(`container ${record.id}: healthcheck monitor failed: ${(error as Error).message}`);
    });
  }

  private end(id: string): void {
    this.monitors.get(id)?.abort();
    this.monitors.delete(id);
  }

  private async loop(record: ContainerRecord, probe: HealthProbe, signal: AbortSignal): Promise<void> {
    await this.save(record, signal);
    const startedAt = Date.parse(record.state.startedAt);
    for (;;) {
      const starting = record.state.health?.Status === 'starting' && Date.now() - startedAt < probe.startPeriodMs;
      await delay(starting ? probe.startIntervalMs : probe.intervalMs, undefined, { signal });
      const result = await this.runProbe(record, probe);
      if (signal.aborted) return;
      this.record(record, probe, result, startedAt);
      await this.save(record, signal);
    }
  }

  /** Runs the check once; a check that cannot even run counts as a failure with the reason as its output. */
  private async runProbe(record: ContainerRecord, probe: HealthProbe): Promise<HealthcheckResult> {
    const start = new Date();
    const finish = (exitCode: number, output: string): HealthcheckResult => ({
      Start: start.toISOString(),
      End: new Date().toISOString(),
      ExitCode: exitCode,
      Output: output,
    });
    let output = Buffer.alloc(0);
    try {
      const execId = this.execs.create(record.id, { Cmd: probe.args, AttachStdout: true, AttachStderr: true });
      const exec = await this.execs.start(execId);
      const keep = (chunk: Buffer): void => {
        if (output.length < MAX_OUTPUT_BYTES) output = Buffer.concat([output, chunk]).subarray(0, MAX_OUTPUT_BYTES);
      };
      exec.stdout.on('data', keep);
      exec.stderr.on('data', keep);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), probe.timeoutMs)));
      const outcome = await Promise.race([exec.result, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        exec.kill('SIGKILL');
        await Promise.race([exec.result, delay(KILL_GRACE_MS)]);
        return finish(-1, `Health check exceeded timeout (${formatSeconds(probe.timeoutMs)})`);
      }
      return finish(outcome.exitCode, outcome.error ?? output.toString('utf8'));
    } catch (error) {
      return finish(-1, (error as Error).message);
    }
  }

  /** moby's `handleProbeResult`: the log, the failing streak and the status, with an event when it changes. */
  private record(record: ContainerRecord, probe: HealthProbe, result: HealthcheckResult, startedAt: number): void {
    const health: ContainerHealth = record.state.health ?? { Status: 'starting', FailingStreak: 0, Log: [] };
    const before = health.Status;
    let status: HealthStatus = before;
    let streak = health.FailingStreak;
    if (result.ExitCode === 0) {
      streak = 0;
      status = 'healthy';
    } else if (!(before === 'starting' && Date.parse(result.Start) - startedAt < probe.startPeriodMs)) {
      // Failures during the start period of a container never yet healthy do not count.
      streak++;
      if (streak >= probe.retries) status = 'unhealthy';
    }
    record.state.health = { Status: status, FailingStreak: streak, Log: [...health.Log, result].slice(-MAX_LOG_ENTRIES) };
    if (status !== before) {
      this.events.publish(containerEvent(record, `health_status: ${status}`));
    }
  }

  /**
   * Saves the container with its health. The container service saves the same record when it exits; should that
   * save land first and this one after, the state this one wrote is stale, so it writes the record again.
   */
  private async save(record: ContainerRecord, signal: AbortSignal): Promise<void> {
    await this.store.save(record);
    if (signal.aborted && record.state.status !== 'running' && this.containers.list().includes(record)) {
      await this.store.save(record);
    }
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}
