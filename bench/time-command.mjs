#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Times a command from spawn to exit, sequentially, and prints one JSON result line:
//
//   node bench/time-command.mjs --name NAME [--key KEY] [--runs 30] [--warmup 3] -- COMMAND ARGS…
//
// `{run}` in an argument becomes a token unique to each run (runc needs a fresh container id). Any run that exits
// non-zero stops the benchmark with that run's stderr: a failing command must not pass for a fast one.
import { spawn } from 'node:child_process';
import { parseBenchArgs, sample, summarize } from './latency-stats.mjs';

const options = parseBenchArgs(process.argv.slice(2));
if (options.command.length === 0) {
  console.error('usage: time-command.mjs --name NAME [--runs N] [--warmup N] -- COMMAND ARGS…');
  process.exit(2);
}
const [file, ...args] = options.command;
const unique = `${process.pid}-${Date.now().toString(36)}`;

function runOnce(run) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args.map((arg) => arg.replaceAll('{run}', `${unique}-${run}`)), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr = [];
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      // 'close' follows once stderr is drained, so the message has all of it.
      else child.once('close', () => reject(new Error(`${options.name}: ${options.command.join(' ')} exited with ${signal ?? code}:\n${Buffer.concat(stderr)}`)));
    });
  });
}

try {
  const samplesMs = await sample(runOnce, options);
  console.log(JSON.stringify({ key: options.key, name: options.name, ...summarize(samplesMs), samplesMs }));
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
}
