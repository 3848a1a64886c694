#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Times one container's whole life through the Docker Engine API on a unix socket, as a client library would
// drive it — create, start, wait, delete — and prints one JSON result line (see latency-stats.mjs):
//
//   node bench/api-lifecycle.mjs --name NAME [--key KEY] --socket PATH --image REF [--network none] [--runs 30] [--warmup 3]
//
// It speaks to any daemon with that API (tsc-engine, dockerd), so the rows compare the engines, not the clients.
import { Agent, request } from 'node:http';
import { parseBenchArgs, sample, summarize } from './latency-stats.mjs';

const options = parseBenchArgs(process.argv.slice(2), { socket: '', image: '', network: '' });
if (!options.socket || !options.image || options.rest.length > 0) {
  console.error('usage: api-lifecycle.mjs --name NAME --socket PATH --image REF [--network MODE] [--runs N] [--warmup N]');
  process.exit(2);
}
// One kept-alive connection, as a long-lived client has: connection set-up is not the engine's latency.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function call(method, path, body, expected) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = payload ? { 'content-type': 'application/json', 'content-length': payload.length } : { 'content-length': 0 };
    const req = request({ socketPath: options.socket, agent, method, path: `/v1.41${path}`, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (response.statusCode !== expected) reject(new Error(`${method} ${path}: http ${response.statusCode}: ${text}`));
        else resolve(text ? JSON.parse(text) : undefined);
      });
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Per-call durations of every run, warm-up included, to tell which call the time goes to. */
const phases = { create: [], start: [], wait: [], delete: [] };

async function timed(phase, action) {
  const started = process.hrtime.bigint();
  const result = await action();
  phases[phase].push(Number(process.hrtime.bigint() - started) / 1e6);
  return result;
}

async function lifecycle() {
  const body = { Image: options.image, Cmd: ['true'] };
  if (options.network) body.HostConfig = { NetworkMode: options.network };
  const { Id: id } = await timed('create', () => call('POST', '/containers/create', body, 201));
  await timed('start', () => call('POST', `/containers/${id}/start`, undefined, 204));
  const { StatusCode: status } = await timed('wait', () => call('POST', `/containers/${id}/wait`, undefined, 200));
  if (status !== 0) throw new Error(`container ${id} exited with ${status}`);
  await timed('delete', () => call('DELETE', `/containers/${id}`, undefined, 204));
}

try {
  const samplesMs = await sample(lifecycle, options);
  const phaseSamplesMs = Object.fromEntries(Object.entries(phases).map(([phase, times]) => [phase, times.slice(options.warmup)]));
  const phaseMediansMs = Object.fromEntries(
    Object.entries(phaseSamplesMs).map(([phase, times]) => [phase, summarize(times).medianMs]),
  );
  console.log(
    JSON.stringify({ key: options.key, name: options.name, ...summarize(samplesMs), phaseMediansMs, samplesMs, phaseSamplesMs }),
  );
} catch (error) {
  console.error(`${options.name}: ${error.message}`);
  process.exitCode = 1;
} finally {
  agent.destroy();
}
